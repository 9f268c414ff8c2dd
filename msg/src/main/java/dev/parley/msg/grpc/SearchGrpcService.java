package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.Caller;
import dev.parley.msg.search.MessageSearch;
import dev.parley.msg.search.SearchQuery.Range;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.SearchDocs.Filter;
import dev.parley.msg.store.SearchDocs.Position;
import dev.parley.msg.store.Times;
import dev.parley.proto.client.SearchKind;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SearchMessagesResponse;
import dev.parley.proto.internal.SearchServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The gRPC edge of search (design.md 14): validation, the cursor and proto conversion only. */
public final class SearchGrpcService extends SearchServiceGrpc.SearchServiceImplBase {
  private final MessageSearch search;
  private final int maxQueryLength;

  /**
   * @param maxQueryLength the longest query accepted (a message's longest text)
   */
  public SearchGrpcService(MessageSearch search, int maxQueryLength) {
    this.search = search;
    this.maxQueryLength = maxQueryLength;
  }

  @Override
  public void searchMessages(SearchMessagesRequest r, StreamObserver<SearchMessagesResponse> out) {
    Caller caller = Callers.current();
    if (r.getQuery().isBlank()) throw ParleyException.invalid("query", "query is required");
    if (r.getQuery().length() > maxQueryLength)
      throw ParleyException.invalid("query", "query is longer than " + maxQueryLength);
    Filter filter =
        new Filter(
            Limits.notNegative(r.getConversationId(), "conversation_id"),
            Limits.notNegative(r.getSenderId(), "sender_id"),
            r.getFromMs() == 0
                ? null
                : Instant.ofEpochMilli(Limits.notNegative(r.getFromMs(), "from_ms")),
            r.getToMs() == 0
                ? null
                : Instant.ofEpochMilli(Limits.notNegative(r.getToMs(), "to_ms")),
            kinds(r.getKind()),
            r.getKind() == SearchKind.Kind.LINK);
    MessageSearch.Page page =
        search.search(
            caller.userId(),
            r.getQuery(),
            filter,
            cursor(r.getCursor()),
            Limits.page(r.getLimit(), 20, 50, "limit"));
    SearchMessagesResponse.Builder b = SearchMessagesResponse.newBuilder();
    for (MessageSearch.Hit hit : page.hits()) {
      SearchMessagesResponse.Hit.Builder h =
          SearchMessagesResponse.Hit.newBuilder()
              .setConversationId(hit.entry().conversationId())
              .setSeq(hit.entry().seq())
              .setMessageId(hit.entry().messageId())
              .setSenderId(hit.entry().senderId())
              .setSentAtMs(hit.entry().createdAt().toEpochMilli())
              .setKind(kind(hit.entry().kind()))
              .setSnippet(hit.snippet().text());
      for (Range m : hit.snippet().marks())
        h.addHighlights(
            SearchMessagesResponse.Highlight.newBuilder()
                .setOffset(m.start())
                .setLength(m.end() - m.start()));
      b.addHits(h);
    }
    Position next = page.next();
    if (next != null) b.setNextCursor(encode(next));
    out.onNext(b.build());
    out.onCompleted();
  }

  private static List<EntryKind> kinds(SearchKind.Kind kind) {
    return switch (kind) {
      case TEXT -> List.of(EntryKind.TEXT);
      case IMAGE -> List.of(EntryKind.IMAGE);
      case FILE -> List.of(EntryKind.FILE);
      case ANY, LINK -> List.of();
      case UNRECOGNIZED -> throw ParleyException.invalid("kind", "unknown kind");
    };
  }

  private static SearchKind.Kind kind(EntryKind kind) {
    return switch (kind) {
      case IMAGE -> SearchKind.Kind.IMAGE;
      case FILE -> SearchKind.Kind.FILE;
      default -> SearchKind.Kind.TEXT;
    };
  }

  /** The cursor: "micros:conversation:seq" of the last examined candidate, base64url. */
  static String encode(Position p) {
    String plain = Times.micros(p.sentAt()) + ":" + p.conversationId() + ":" + p.seq();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static @Nullable Position cursor(String cursor) {
    if (cursor.isEmpty()) return null;
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
      if (parts.length != 3) throw new IllegalArgumentException("three parts expected");
      return new Position(
          Objects.requireNonNull(Times.instant(Long.parseLong(parts[0]))),
          Long.parseLong(parts[1]),
          Long.parseLong(parts[2]));
    } catch (IllegalArgumentException e) {
      throw ParleyException.invalid("cursor", "cursor is not one this server gave");
    }
  }
}
