package dev.parley.push.dispatch;

import dev.parley.proto.internal.DeliverRequest;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.GatewayServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one batch's deliveries to the gateways: one {@code Deliver} call per gateway (more only
 * when a gateway's share exceeds {@link DispatcherConfig#maxRequestBytes()}, then consecutive
 * calls), all gateways in parallel on virtual threads, each call bounded by the deliver deadline,
 * so one batch never waits longer than the slowest gateway's deadline per call.
 *
 * <p>A gateway that fails is skipped for the rest of the batch (a later call would overtake the
 * lost one and break its order); one that missed a deadline is also skipped for {@link
 * DispatcherConfig#failedGatewayPause()}, so a hung gateway cannot slow every batch. Its devices
 * catch up by sync, as after any missed live event.
 */
final class GatewayHandOver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayHandOver.class);
  private static final long LOG_EVERY_MILLIS = 10_000;

  private final GatewayChannels channels;
  private final DispatcherConfig config;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastLogged = new ConcurrentHashMap<>();

  private final Tracer tracer;

  GatewayHandOver(
      GatewayChannels channels,
      DispatcherConfig config,
      DispatcherMetrics metrics,
      Clock clock,
      Tracer tracer) {
    this.tracer = tracer;
    this.channels = channels;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Returns once every gateway has taken its deliveries or failed.
   *
   * @param addresses gateway id → internal address, for the gateways of {@code perGateway}
   */
  void handOver(Map<String, List<Delivery>> perGateway, Map<String, String> addresses)
      throws InterruptedException {
    List<Future<?>> running = new ArrayList<>(perGateway.size());
    for (Map.Entry<String, List<Delivery>> e : perGateway.entrySet()) {
      String gateway = e.getKey();
      Instant paused = pausedUntil.get(gateway);
      if (paused != null && clock.instant().isBefore(paused)) {
        metrics.gatewayFailure("paused");
        continue;
      }
      Optional<String> address = Optional.ofNullable(addresses.get(gateway));
      if (address.isEmpty()) {
        metrics.gatewayFailure("unknown");
        warn(
            gateway,
            "Gateway " + gateway + " has devices in presence but no registered address; skipped",
            null);
        continue;
      }
      ManagedChannel channel = channels.channel(address.get());
      running.add(calls.submit(() -> deliver(gateway, address.get(), channel, e.getValue())));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        log.error("Handing over to a gateway failed unexpectedly", e.getCause());
      }
    }
  }

  void closeIdle() {
    channels.closeIdle();
  }

  private void deliver(
      String gateway, String address, ManagedChannel channel, List<Delivery> deliveries) {
    // A channel whose gateway failed waits out gRPC's reconnect back-off (up to 2 minutes) and
    // fails
    // calls at once meanwhile; a gateway that came back would get nothing for that long. Reconnect
    // now
    // instead: the call below then waits for that connection attempt (calls are held while
    // CONNECTING).
    if (channel.getState(true) == io.grpc.ConnectivityState.TRANSIENT_FAILURE)
      channel.resetConnectBackoff();
    Span call = DispatchTrace.handOver(tracer, gateway, deliveries);
    try {
      deliver(gateway, address, GatewayServiceGrpc.newBlockingStub(channel), deliveries, call);
    } finally {
      call.end();
    }
  }

  private void deliver(
      String gateway,
      String address,
      GatewayServiceGrpc.GatewayServiceBlockingStub stub,
      List<Delivery> deliveries,
      Span call) {
    for (DeliverRequest request : requests(deliveries, config.maxRequestBytes())) {
      try {
        stub.withDeadlineAfter(config.deliverDeadline().toMillis(), TimeUnit.MILLISECONDS)
            .deliver(request);
        metrics.handed.increment(request.getDeliveriesCount());
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        call.setStatus(StatusCode.ERROR, code.name());
        metrics.gatewayFailure(code.name().toLowerCase(Locale.ROOT));
        if (code == Status.Code.DEADLINE_EXCEEDED) {
          pausedUntil.put(gateway, clock.instant().plus(config.failedGatewayPause()));
        }
        warn(
            gateway,
            "Gateway "
                + gateway
                + " at "
                + address
                + " did not take its deliveries ("
                + code
                + "); skipped",
            null);
        return;
      }
    }
    pausedUntil.remove(gateway);
  }

  /**
   * The deliveries in order, cut into requests of at most {@code maxBytes} (at least one delivery
   * each).
   */
  static List<DeliverRequest> requests(List<Delivery> deliveries, int maxBytes) {
    List<DeliverRequest> requests = new ArrayList<>(1);
    DeliverRequest.Builder current = DeliverRequest.newBuilder();
    int bytes = 0;
    for (Delivery d : deliveries) {
      int size = d.getSerializedSize() + 8; // field tag and length prefix, generously
      if (current.getDeliveriesCount() > 0 && bytes + size > maxBytes) {
        requests.add(current.build());
        current = DeliverRequest.newBuilder();
        bytes = 0;
      }
      current.addDeliveries(d);
      bytes += size;
    }
    if (current.getDeliveriesCount() > 0) requests.add(current.build());
    return requests;
  }

  /**
   * Logs at most every 10 s per gateway: a dead gateway stays in presence until its entries expire.
   */
  private void warn(String gateway, String message, @Nullable Throwable error) {
    Instant now = clock.instant();
    Instant last = lastLogged.get(gateway);
    if (last != null && now.toEpochMilli() - last.toEpochMilli() < LOG_EVERY_MILLIS) return;
    lastLogged.put(gateway, now);
    if (error == null) log.warn(message);
    else log.warn(message, error);
  }

  @Override
  public void close() {
    calls.shutdownNow();
    channels.close();
  }
}
