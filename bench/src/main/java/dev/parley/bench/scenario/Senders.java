package dev.parley.bench.scenario;

import dev.parley.bench.load.Device;
import java.util.List;

/** Picking a sender for a scheduled message among devices that currently accept sends. */
final class Senders {
  private Senders() {}

  /**
   * The position of the device at {@code preferred}, or of the next one after it that accepts sends
   * (a device away for a reconnect is skipped, so the offered rate stays the same); -1 when none
   * does.
   */
  static int pick(List<Device> devices, int preferred) {
    int n = devices.size();
    for (int i = 0; i < n; i++) {
      int p = Math.floorMod(preferred + i, n);
      if (devices.get(p).acceptingSends()) return p;
    }
    return -1;
  }

  /** A well-mixed hash of k (SplitMix64), for deterministic pseudo-random choices per message. */
  static long mix(long k) {
    long z = k + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
