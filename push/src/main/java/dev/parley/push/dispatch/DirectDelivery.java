package dev.parley.push.dispatch;

import dev.parley.common.presence.Presence;
import dev.parley.common.presence.Presence.Registration;
import dev.parley.proto.internal.DeliverRequest;
import dev.parley.proto.internal.DeliverResponse;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.GatewayServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a delivery straight to the gateways holding its recipients, found in presence: the
 * dispatcher's routing (one restricted copy per gateway, {@link Routing}) without the bus and
 * without the push hand-off. For events that must not be stored and mean nothing to a device that
 * is not connected: typing indicators (design.md 13.6).
 *
 * <p>Best effort by design: the calls are asynchronous with a short deadline and nobody waits for
 * them; a gateway that is slow or gone loses the event, which is what an expiring indicator can
 * afford. Recipients whose gateway presence does not know (a flushed Redis) get nothing either.
 */
public final class DirectDelivery implements Consumer<Delivery>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectDelivery.class);
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  private final Presence presence;
  private final GatewayChannels channels;
  private final Counter failed;

  private DirectDelivery(Presence presence, GatewayChannels channels, MeterRegistry metrics) {
    this.presence = presence;
    this.channels = channels;
    this.failed =
        Counter.builder("parley_direct_delivery_failed_total")
            .description("Direct (typing) deliveries a gateway did not take")
            .register(metrics);
  }

  /**
   * @param credentials those of every channel between the processes (mutual TLS when the cluster
   *     has it)
   */
  public static DirectDelivery create(
      ChannelCredentials credentials, Presence presence, MeterRegistry metrics, Clock clock) {
    return new DirectDelivery(
        presence, GatewayChannels.network(credentials, clock, Duration.ofMinutes(5)), metrics);
  }

  @Override
  public void accept(Delivery delivery) {
    Routing.Plan plan =
        Routing.plan(List.of(delivery), presence.gatewaysOf(delivery.getUserIdsList()));
    if (plan.perGateway().isEmpty()) return;
    Map<String, Registration> gateways = presence.registrations(plan.perGateway().keySet());
    plan.perGateway()
        .forEach(
            (gateway, deliveries) -> {
              Registration at = gateways.get(gateway);
              if (at == null) return; // gone since presence listed it
              GatewayServiceGrpc.newStub(channels.channel(at.address()))
                  .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                  .deliver(
                      DeliverRequest.newBuilder().addAllDeliveries(deliveries).build(),
                      new StreamObserver<DeliverResponse>() {
                        @Override
                        public void onNext(DeliverResponse value) {}

                        @Override
                        public void onError(Throwable t) {
                          failed.increment();
                          log.debug("Gateway {} did not take a direct delivery: {}", gateway, t);
                        }

                        @Override
                        public void onCompleted() {}
                      });
            });
    channels.closeIdle();
  }

  @Override
  public void close() {
    channels.close();
  }
}
