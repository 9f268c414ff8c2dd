package dev.parley.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens on the port of a process that is down and records every connection attempt, closing each
 * at once, so that to the caller it fails just like a refused one: a way to watch a gRPC channel's
 * reconnect back-off (1 s, then ×1.6 per failure with ±20 % jitter, up to 120 s) from outside.
 */
final class PortWatch implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Long> attempts = new ArrayList<>();
  private final Thread acceptor;

  private PortWatch(ServerSocket socket) {
    this.socket = socket;
    this.acceptor =
        Thread.ofPlatform().daemon().name("port-watch-" + socket.getLocalPort()).start(this::run);
  }

  static PortWatch listen(int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return new PortWatch(s);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on port " + port, e);
    }
  }

  private void run() {
    while (!socket.isClosed()) {
      try (Socket accepted = socket.accept()) {
        synchronized (attempts) {
          attempts.add(System.nanoTime());
        }
        accepted.setSoLinger(true, 0); // RST: the attempt fails at once
      } catch (IOException e) {
        // closed
      }
    }
  }

  /** System.nanoTime() of each connection attempt so far. */
  List<Long> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  /** The time between the last two attempts in ms; 0 with fewer than two. */
  long lastGapMillis() {
    List<Long> a = attempts();
    return a.size() < 2 ? 0 : (a.get(a.size() - 1) - a.get(a.size() - 2)) / 1_000_000;
  }

  @Override
  public void close() {
    try {
      socket.close();
      acceptor.join(2000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
