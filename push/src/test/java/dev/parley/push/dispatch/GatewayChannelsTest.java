package dev.parley.push.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayChannelsTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<ManagedChannel> created = new ArrayList<>();
  private final GatewayChannels channels =
      new GatewayChannels(
          address -> {
            ManagedChannel c = InProcessChannelBuilder.forName(address).build();
            created.add(c);
            return c;
          },
          clock,
          Duration.ofMinutes(5));

  @Test
  void reusesOneChannelPerAddressAndClosesIdleOnes() {
    ManagedChannel a = channels.channel("a:1");
    assertThat(channels.channel("a:1")).isSameAs(a);
    clock.advance(Duration.ofMinutes(4));
    ManagedChannel b = channels.channel("b:1");
    clock.advance(Duration.ofMinutes(2));

    channels.closeIdle();

    assertThat(a.isShutdown()).isTrue();
    assertThat(b.isShutdown()).isFalse();
    assertThat(channels.size()).isEqualTo(1);
    assertThat(channels.channel("a:1")).isNotSameAs(a);
    channels.close();
    assertThat(created).allSatisfy(c -> assertThat(c.isShutdown()).isTrue());
  }
}
