package dev.parley.gateway.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.gateway.net.ConnectionLimits.Refusal;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  @Test
  void countsInTotalAndPerAddress() {
    ConnectionLimits limits = new ConnectionLimits(4, 2);
    assertThat(limits.admit("10.0.0.1")).isNull();
    assertThat(limits.admit("10.0.0.1")).isNull();
    assertThat(limits.admit("10.0.0.1")).isEqualTo(Refusal.MAX_CONNECTIONS_PER_IP);
    assertThat(limits.admit("10.0.0.2")).isNull();
    assertThat(limits.admit("10.0.0.3")).isNull();
    assertThat(limits.admit("10.0.0.4")).isEqualTo(Refusal.MAX_CONNECTIONS);
    assertThat(limits.open()).isEqualTo(4); // refusals hold nothing

    limits.release("10.0.0.1");
    assertThat(limits.openFrom("10.0.0.1")).isEqualTo(1);
    assertThat(limits.admit("10.0.0.4")).isNull();
  }

  @Test
  void anAddressWithoutConnectionsIsForgotten() {
    ConnectionLimits limits = new ConnectionLimits(10, 3);
    assertThat(limits.admit("10.0.0.1")).isNull();
    limits.release("10.0.0.1");
    assertThat(limits.openFrom("10.0.0.1")).isZero();
    assertThat(limits.open()).isZero();
  }

  @Test
  void zeroTurnsThePerAddressLimitOff() {
    ConnectionLimits limits = new ConnectionLimits(3, 0);
    for (int i = 0; i < 3; i++) assertThat(limits.admit("10.0.0.1")).isNull();
    assertThat(limits.admit("10.0.0.1")).isEqualTo(Refusal.MAX_CONNECTIONS);
  }
}
