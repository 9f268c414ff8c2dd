package dev.parley.push.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayDirectoryTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T00:00:00Z"));
  private final FakePresence presence =
      new FakePresence()
          .gateway("g1", "10.0.0.1:9000", Duration.ofSeconds(45))
          .gateway("g2", "10.0.0.2:9000", Duration.ofSeconds(45));
  private final GatewayDirectory directory = new GatewayDirectory(clock);

  @Test
  void aRegistrationLostWithTheStoreLeavesItsGatewayUnaccountedForUntilItRegistersAgain() {
    GatewayDirectory.View before = directory.lookUp(presence, List.of("g1", "g2"));
    assertThat(before.addresses()).isEqualTo(Map.of("g1", "10.0.0.1:9000", "g2", "10.0.0.2:9000"));
    assertThat(before.unaccounted()).isEmpty();

    // FLUSHALL: both registrations gone long before they would have run out; presence knows no one.
    presence.forget("g1").forget("g2");
    clock.advance(Duration.ofSeconds(1));
    GatewayDirectory.View lost = directory.lookUp(presence, List.of());
    assertThat(lost.unaccounted()).containsExactlyInAnyOrder("g1", "g2");
    assertThat(lost.addresses()).isEqualTo(Map.of("g1", "10.0.0.1:9000", "g2", "10.0.0.2:9000"));

    presence.gateway("g1", "10.0.0.1:9000", Duration.ofSeconds(45));
    GatewayDirectory.View rebuilding = directory.lookUp(presence, List.of());
    assertThat(rebuilding.unaccounted()).containsExactly("g2");
  }

  @Test
  void aRegistrationThatRanOutIsAGatewayGone_notUnaccountedFor() {
    directory.lookUp(presence, List.of("g1", "g2"));
    presence.forget("g1");
    clock.advance(Duration.ofSeconds(45));
    GatewayDirectory.View view = directory.lookUp(presence, List.of());
    assertThat(view.unaccounted()).isEmpty();
    assertThat(view.addresses()).containsOnlyKeys("g2");

    clock.advance(Duration.ofSeconds(-30));
    assertThat(directory.lookUp(presence, List.of()).unaccounted())
        .as("forgotten for good")
        .isEmpty();
  }

  @Test
  void aLostGatewayIsUnaccountedForAtMostUntilItsOldRegistrationWouldHaveRunOut() {
    directory.lookUp(presence, List.of("g1"));
    presence.forget("g1");
    clock.advance(Duration.ofSeconds(40));
    assertThat(directory.lookUp(presence, List.of()).unaccounted()).containsExactly("g1");
    clock.advance(Duration.ofSeconds(5));
    assertThat(directory.lookUp(presence, List.of()).unaccounted()).isEmpty();
  }
}
