package dev.parley.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that a test starts later (another process, or a restart on the same port).
 *
 * <p>{@code new ServerSocket(0)} hands out a port of the ephemeral range (32768–60999 on Linux),
 * the same range the kernel picks the source ports of outgoing connections from: between choosing
 * such a port and binding it, any client connection of the test (Kafka, PostgreSQL, HTTP) may take
 * it, and the server then fails with "Address already in use". Ports below the ephemeral range are
 * only taken by servers that ask for them, so this picks one at random there and checks that it is
 * free now.
 */
public final class FreePorts {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;

  private FreePorts() {}

  public static int next() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between " + LOW + " and " + HIGH);
  }
}
