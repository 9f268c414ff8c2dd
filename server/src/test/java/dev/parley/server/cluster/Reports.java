package dev.parley.server.cluster;

import dev.parley.proto.client.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the cluster scenarios measured (failover times, replays, counts), printed as {@code
 * [cluster]} lines into the test output ({@code target/failsafe-reports/<class>-output.txt}).
 */
final class Reports {
  private Reports() {}

  static void report(String format, Object... args) {
    System.out.println("[cluster] " + String.format(format, args));
  }

  static long ms(long fromNanos, long toNanos) {
    return Duration.ofNanos(toNanos - fromNanos).toMillis();
  }

  /** Entries per conversation. */
  static Map<Long, Integer> sizes(Map<Long, List<Message>> logs) {
    Map<Long, Integer> out = new TreeMap<>();
    logs.forEach((k, v) -> out.put(k, v.size()));
    return out;
  }
}
