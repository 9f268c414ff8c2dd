package dev.parley.push.dispatch;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One gRPC channel per gateway address, created on first use and closed after {@code idleTimeout}
 * without use (gateways come and go; a restarted gateway usually has a new address). A channel
 * reconnects by itself after a gateway's restart on the same address.
 *
 * <p>Channels use the credentials of every other channel between the processes: mutual TLS when the
 * cluster has it (cluster.tls), plaintext only when it does not. A delivery carries message
 * content, so a plaintext dispatcher channel would undo the cluster's mTLS for exactly the most
 * sensitive traffic.
 */
final class GatewayChannels implements AutoCloseable {
  private record Entry(ManagedChannel channel, Instant lastUsed) {}

  private final Map<String, Entry> channels = new HashMap<>();
  private final Function<String, ManagedChannel> factory;
  private final Clock clock;
  private final Duration idleTimeout;

  GatewayChannels(Function<String, ManagedChannel> factory, Clock clock, Duration idleTimeout) {
    this.factory = factory;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
  }

  /** Network channels to {@code host:port} addresses, secured by {@code credentials}. */
  static GatewayChannels network(
      ChannelCredentials credentials, Clock clock, Duration idleTimeout) {
    return new GatewayChannels(
        address -> NettyChannelBuilder.forTarget("dns:///" + address, credentials).build(),
        clock,
        idleTimeout);
  }

  synchronized ManagedChannel channel(String address) {
    Entry e = channels.get(address);
    ManagedChannel channel =
        e == null || e.channel().isShutdown() ? factory.apply(address) : e.channel();
    channels.put(address, new Entry(channel, clock.instant()));
    return channel;
  }

  /** Closes the channels unused for longer than the idle timeout. */
  synchronized void closeIdle() {
    Instant cutoff = clock.instant().minus(idleTimeout);
    for (Iterator<Entry> it = channels.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.lastUsed().isBefore(cutoff)) {
        e.channel().shutdown();
        it.remove();
      }
    }
  }

  synchronized int size() {
    return channels.size();
  }

  @Override
  public void close() {
    List<ManagedChannel> all;
    synchronized (this) {
      all = new ArrayList<>(channels.values().stream().map(Entry::channel).toList());
      channels.clear();
    }
    all.forEach(ManagedChannel::shutdown);
    for (ManagedChannel c : all) {
      try {
        if (!c.awaitTermination(2, TimeUnit.SECONDS)) c.shutdownNow();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
  }
}
