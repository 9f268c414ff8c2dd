package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.ReactionManager;
import dev.parley.msg.core.content.ReactionRules;
import dev.parley.msg.store.Reactions;
import dev.parley.proto.client.GetReactorsRequest;
import dev.parley.proto.client.GetReactorsResponse;
import dev.parley.proto.client.SetReactionsRequest;
import dev.parley.proto.client.SetReactionsResponse;
import dev.parley.proto.internal.ReactionServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The gRPC edge of reactions (design.md 13.4): validation and proto conversion only. */
public final class ReactionGrpcService extends ReactionServiceGrpc.ReactionServiceImplBase {
  private final ReactionManager reactions;
  private final ReactionRules rules;

  public ReactionGrpcService(ReactionManager reactions, ReactionRules rules) {
    this.reactions = reactions;
    this.rules = rules;
  }

  @Override
  public void setReactions(SetReactionsRequest r, StreamObserver<SetReactionsResponse> out) {
    List<String> emoji = rules.checked(r.getEmojiList());
    ReactionManager.Result result =
        reactions.set(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.seq(r.getSeq(), "seq"),
            emoji);
    out.onNext(
        SetReactionsResponse.newBuilder()
            .setSeq(result.seq())
            .addAllReactions(Protos.reactionCounts(result.counts()))
            .build());
    out.onCompleted();
  }

  @Override
  public void getReactors(GetReactorsRequest r, StreamObserver<GetReactorsResponse> out) {
    int limit = Limits.page(r.getLimit(), 50, 100, "limit");
    String emoji = r.getEmoji().isEmpty() ? null : ReactionRules.normalized(r.getEmoji());
    List<Reactions.Reactor> page =
        reactions.reactors(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.seq(r.getSeq(), "seq"),
            emoji,
            cursor(r.getCursor()),
            limit + 1);
    GetReactorsResponse.Builder b = GetReactorsResponse.newBuilder();
    for (Reactions.Reactor x : page.subList(0, Math.min(limit, page.size())))
      b.addReactors(
          GetReactorsResponse.Reactor.newBuilder()
              .setUserId(x.userId())
              .setEmoji(x.emoji())
              .setReactedAtMs(Protos.ms(x.at())));
    if (page.size() > limit) b.setNextCursor(cursor(page.get(limit - 1)));
    out.onNext(b.build());
    out.onCompleted();
  }

  /** A page position: the last reactor's (time in µs, user, emoji), opaque to clients. */
  static String cursor(Reactions.Reactor last) {
    long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, last.at());
    String s = micros + ":" + last.userId() + ":" + last.emoji();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static Reactions.@Nullable Reactor cursor(String cursor) {
    if (cursor.isEmpty()) return null;
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 3);
      Instant at =
          Instant.EPOCH.plus(Long.parseLong(parts[0]), java.time.temporal.ChronoUnit.MICROS);
      return new Reactions.Reactor(Long.parseLong(parts[1]), parts[2], at);
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw ParleyException.invalid("cursor", "Not a cursor this server gave");
    }
  }
}
