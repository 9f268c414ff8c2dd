package dev.parley.push.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final Clock clock = Clock.fixed(Instant.parse("1994-11-06T08:49:00Z"), ZoneOffset.UTC);

  private Optional<Duration> parse(String header) {
    return RetryAfter.parse(Optional.ofNullable(header), clock);
  }

  @Test
  void readsSeconds() {
    assertThat(parse("120")).contains(Duration.ofSeconds(120));
    assertThat(parse(" 0 ")).contains(Duration.ZERO);
  }

  @Test
  void readsAnHttpDateRelativeToTheClock() {
    assertThat(parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(Duration.ofSeconds(37));
  }

  @Test
  void aDateInThePastMeansNow() {
    assertThat(parse("Sun, 06 Nov 1994 08:00:00 GMT")).contains(Duration.ZERO);
  }

  @Test
  void absurdlyManySecondsAreCappedAtAYear() {
    assertThat(parse("99999999999999999999")).contains(Duration.ofDays(365));
  }

  @Test
  void absentOrUnreadableIsEmpty() {
    assertThat(parse(null)).isEmpty();
    assertThat(parse("")).isEmpty();
    assertThat(parse("-5")).isEmpty();
    assertThat(parse("soon")).isEmpty();
    assertThat(parse("1.5")).isEmpty();
  }
}
