package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.SettingsManager;
import dev.parley.msg.settings.Mute;
import dev.parley.msg.settings.Previews;
import dev.parley.proto.client.GetNotifySettingsRequest;
import dev.parley.proto.client.GetNotifySettingsResponse;
import dev.parley.proto.client.SetConversationMuteRequest;
import dev.parley.proto.client.SetConversationMuteResponse;
import dev.parley.proto.client.SetConversationPreviewsRequest;
import dev.parley.proto.client.SetConversationPreviewsResponse;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.proto.client.UpdateNotifySettingsResponse;
import dev.parley.proto.internal.SettingsServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;

/** The gRPC edge of notification settings: checks requests, converts, calls the manager. */
public final class SettingsGrpcService extends SettingsServiceGrpc.SettingsServiceImplBase {
  private final SettingsManager settings;

  public SettingsGrpcService(SettingsManager settings) {
    this.settings = settings;
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
}
