package dev.parley.gateway.presence;

import dev.parley.proto.internal.AnnouncePresenceRequest;
import dev.parley.proto.internal.AnnouncePresenceResponse;
import dev.parley.proto.internal.PresenceServiceGrpc;
import io.grpc.Channel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a gateway's user-level presence news goes: the message service, which applies the grace
 * period and the privacy rules and tells the friends (design.md 13.2). Fire and forget: a lost call
 * costs friends one live change, which they still see by asking ({@code get_presence}).
 */
public interface PresenceAnnouncements {
  /** The user's first connection on this gateway opened. */
  void online(long userId);

  /** The user's last connection on this gateway closed. */
  void offline(long userId);

  /** Nobody to tell: gateways in tests without a message service. */
  PresenceAnnouncements NONE =
      new PresenceAnnouncements() {
        @Override
        public void online(long userId) {}

        @Override
        public void offline(long userId) {}
      };

  /** Asks the message service behind {@code msg}, asynchronously, with a 2 s deadline. */
  static PresenceAnnouncements to(Channel msg) {
    Logger log = LoggerFactory.getLogger(PresenceAnnouncements.class);
    PresenceServiceGrpc.PresenceServiceStub stub = PresenceServiceGrpc.newStub(msg);
    return new PresenceAnnouncements() {
      @Override
      public void online(long userId) {
        send(userId, true);
      }

      @Override
      public void offline(long userId) {
        send(userId, false);
      }

      private void send(long userId, boolean online) {
        stub.withDeadlineAfter(2, TimeUnit.SECONDS)
            .announce(
                AnnouncePresenceRequest.newBuilder().setUserId(userId).setOnline(online).build(),
                new io.grpc.stub.StreamObserver<AnnouncePresenceResponse>() {
                  @Override
                  public void onNext(AnnouncePresenceResponse value) {}

                  @Override
                  public void onError(Throwable t) {
                    log.debug("Presence of user {} not announced", userId, t);
                  }

                  @Override
                  public void onCompleted() {}
                });
      }
    };
  }
}
