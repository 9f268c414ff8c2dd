package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.NotifyFactsReader;
import dev.parley.msg.core.SettingsManager;
import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.Mute;
import dev.parley.msg.settings.Previews;
import dev.parley.proto.client.ChatStateUpdate;
import dev.parley.proto.client.GetNotifySettingsRequest;
import dev.parley.proto.client.GetNotifySettingsResponse;
import dev.parley.proto.client.ReorderPinnedChatsRequest;
import dev.parley.proto.client.ReorderPinnedChatsResponse;
import dev.parley.proto.client.SaveDraftRequest;
import dev.parley.proto.client.SaveDraftResponse;
import dev.parley.proto.client.SetChatArchivedRequest;
import dev.parley.proto.client.SetChatArchivedResponse;
import dev.parley.proto.client.SetChatPinnedRequest;
import dev.parley.proto.client.SetChatPinnedResponse;
import dev.parley.proto.client.SetConversationMuteRequest;
import dev.parley.proto.client.SetConversationMuteResponse;
import dev.parley.proto.client.SetConversationPreviewsRequest;
import dev.parley.proto.client.SetConversationPreviewsResponse;
import dev.parley.proto.client.SetMarkedUnreadRequest;
import dev.parley.proto.client.SetMarkedUnreadResponse;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.proto.client.UpdateNotifySettingsResponse;
import dev.parley.proto.internal.GetNotifyFactsRequest;
import dev.parley.proto.internal.GetNotifyFactsResponse;
import dev.parley.proto.internal.NotifyFacts;
import dev.parley.proto.internal.SettingsServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The gRPC edge of notification settings: checks requests, converts, calls the manager. */
public final class SettingsGrpcService extends SettingsServiceGrpc.SettingsServiceImplBase {
  /** Keys per GetNotifyFacts call. */
  static final int MAX_FACT_KEYS = 1000;

  private final SettingsManager settings;
  private final NotifyFactsReader facts;
  private final ContentRules content;

  /**
   * @param maxTextLength the longest draft, as the longest message (msg.max-text-length)
   */
  public SettingsGrpcService(SettingsManager settings, NotifyFactsReader facts, int maxTextLength) {
    this.settings = settings;
    this.facts = facts;
    this.content = new ContentRules(maxTextLength);
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  @Override
  public void setConversationMute(
      SetConversationMuteRequest r, StreamObserver<SetConversationMuteResponse> out) {
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    Mute mute =
        switch (r.getMuteCase()) {
          case UNTIL_MS -> new Mute.Until(Instant.ofEpochMilli(r.getUntilMs()));
          case FOREVER -> {
            if (!r.getForever()) throw ParleyException.invalid("forever", "forever must be true");
            yield new Mute.Forever();
          }
          case OFF -> {
            if (!r.getOff()) throw ParleyException.invalid("off", "off must be true");
            yield new Mute.Off();
          }
          case MUTE_NOT_SET ->
              throw ParleyException.invalid("mute", "One of until_ms, forever or off is required");
        };
    reply(
        out,
        SetConversationMuteResponse.newBuilder()
            .setState(Protos.chatState(settings.setMute(Callers.current(), conversationId, mute)))
            .build());
  }

  @Override
  public void setConversationPreviews(
      SetConversationPreviewsRequest r, StreamObserver<SetConversationPreviewsResponse> out) {
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    Previews previews =
        switch (r.getPreviews()) {
          case PREVIEW_MODE_DEFAULT -> Previews.DEFAULT;
          case PREVIEW_MODE_SHOW -> Previews.SHOW;
          case PREVIEW_MODE_HIDE -> Previews.HIDE;
          case UNRECOGNIZED -> throw ParleyException.invalid("previews", "Unknown preview mode");
        };
    reply(
        out,
        SetConversationPreviewsResponse.newBuilder()
            .setState(
                Protos.chatState(settings.setPreviews(Callers.current(), conversationId, previews)))
            .build());
  }

  @Override
  public void setChatPinned(SetChatPinnedRequest r, StreamObserver<SetChatPinnedResponse> out) {
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    ChatState s = settings.setPinned(Callers.current(), conversationId, r.getPinned());
    reply(out, SetChatPinnedResponse.newBuilder().setState(Protos.chatState(s)).build());
  }

  @Override
  public void reorderPinnedChats(
      ReorderPinnedChatsRequest r, StreamObserver<ReorderPinnedChatsResponse> out) {
    List<Long> order = new ArrayList<>();
    for (long id : r.getConversationIdsList()) order.add(Limits.id(id, "conversation_ids"));
    ReorderPinnedChatsResponse.Builder b = ReorderPinnedChatsResponse.newBuilder();
    for (SettingsManager.ChatStateOf s : settings.reorderPinned(Callers.current(), order)) {
      b.addStates(
          ChatStateUpdate.newBuilder()
              .setConversationId(s.conversationId())
              .setState(Protos.chatState(s.state())));
    }
    reply(out, b.build());
  }

  @Override
  public void setChatArchived(
      SetChatArchivedRequest r, StreamObserver<SetChatArchivedResponse> out) {
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    ChatState s = settings.setArchived(Callers.current(), conversationId, r.getArchived());
    reply(out, SetChatArchivedResponse.newBuilder().setState(Protos.chatState(s)).build());
  }

  @Override
  public void setMarkedUnread(
      SetMarkedUnreadRequest r, StreamObserver<SetMarkedUnreadResponse> out) {
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    ChatState s = settings.setMarkedUnread(Callers.current(), conversationId, r.getMarkedUnread());
    reply(out, SetMarkedUnreadResponse.newBuilder().setState(Protos.chatState(s)).build());
  }

  @Override
  public void saveDraft(SaveDraftRequest r, StreamObserver<SaveDraftResponse> out) {
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    if (r.getReplyToSeq() < 0)
      throw ParleyException.invalid("reply_to_seq", "reply_to_seq must not be negative");
    String text = content.draftText(r.getText());
    ChatState s = settings.saveDraft(Callers.current(), conversationId, text, r.getReplyToSeq());
    reply(out, SaveDraftResponse.newBuilder().setState(Protos.chatState(s)).build());
  }

  @Override
  public void getNotifySettings(
      GetNotifySettingsRequest r, StreamObserver<GetNotifySettingsResponse> out) {
    reply(
        out,
        GetNotifySettingsResponse.newBuilder()
            .setSettings(Protos.notifySettings(settings.settings(Callers.current())))
            .build());
  }

  @Override
  public void updateNotifySettings(
      UpdateNotifySettingsRequest r, StreamObserver<UpdateNotifySettingsResponse> out) {
    var updated =
        settings.updateSettings(
            Callers.current(),
            r.hasShowPreviews() ? Optional.of(r.getShowPreviews()) : Optional.empty(),
            r.hasNotifyMentionsInMuted()
                ? Optional.of(r.getNotifyMentionsInMuted())
                : Optional.empty());
    reply(
        out,
        UpdateNotifySettingsResponse.newBuilder()
            .setSettings(Protos.notifySettings(updated))
            .build());
  }

  /** For the push role (gateways never route it): no caller, the keys name the users. */
  @Override
  public void getNotifyFacts(GetNotifyFactsRequest r, StreamObserver<GetNotifyFactsResponse> out) {
    if (r.getKeysCount() > MAX_FACT_KEYS) {
      throw ParleyException.invalid("keys", "At most " + MAX_FACT_KEYS + " keys per request");
    }
    List<NotifyFactsReader.Key> keys =
        r.getKeysList().stream()
            .map(k -> new NotifyFactsReader.Key(k.getUserId(), k.getConversationId()))
            .toList();
    GetNotifyFactsResponse.Builder response = GetNotifyFactsResponse.newBuilder();
    for (NotifyFactsReader.Facts f : facts.read(keys)) {
      NotifyFacts.Builder b =
          NotifyFacts.newBuilder()
              .setUserId(f.userId())
              .setConversationId(f.conversationId())
              .setMutedForever(f.mutedForever())
              .setShowPreviews(f.showPreviews())
              .setNotifyMentionsInMuted(f.notifyMentionsInMuted())
              .setTotalUnread(f.totalUnread())
              .setReadSeq(f.readSeq())
              .setGroup(f.group())
              .setMember(f.member());
      if (f.mutedUntil() != null) b.setMutedUntilMs(f.mutedUntil().toEpochMilli());
      if (f.title() != null) b.setTitle(f.title());
      response.addFacts(b);
    }
    reply(out, response.build());
  }
}
