package dev.parley.gateway.ws;

import static dev.parley.gateway.ws.TypingLimiter.Decision.FORWARD;
import static dev.parley.gateway.ws.TypingLimiter.Decision.REFUSE;
import static dev.parley.gateway.ws.TypingLimiter.Decision.SUPPRESS;
import static dev.parley.proto.client.TypingState.Action.CANCEL;
import static dev.parley.proto.client.TypingState.Action.TYPING;
import static dev.parley.proto.client.TypingState.Action.UPLOADING_FILE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TypingLimiterTest {
  /** A clock the test moves by hand. */
  private Instant now = Instant.parse("2026-12-06T16:00:00Z");

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final TypingLimiter limiter = new TypingLimiter(clock);

  private void advance(long millis) {
    now = now.plusMillis(millis);
  }

  @Test
  void oneIndicatorPerConversationPerTwoSeconds() {
    assertThat(limiter.decide(1, TYPING)).isEqualTo(FORWARD);
    advance(1_999);
    assertThat(limiter.decide(1, TYPING)).isEqualTo(SUPPRESS);
    // Another conversation has its own interval.
    assertThat(limiter.decide(2, TYPING)).isEqualTo(FORWARD);
    advance(1);
    assertThat(limiter.decide(1, TYPING)).isEqualTo(FORWARD);
  }

  @Test
  void aChangeOfActionGoesThroughAtOnceAndCancelOnlyWhenSomethingShows() {
    assertThat(limiter.decide(1, CANCEL)).isEqualTo(SUPPRESS); // nothing to cancel
    assertThat(limiter.decide(1, TYPING)).isEqualTo(FORWARD);
    assertThat(limiter.decide(1, UPLOADING_FILE)).isEqualTo(FORWARD);
    assertThat(limiter.decide(1, CANCEL)).isEqualTo(FORWARD);
    assertThat(limiter.decide(1, CANCEL)).isEqualTo(SUPPRESS);
    advance(5_000);
    assertThat(limiter.decide(1, CANCEL)).isEqualTo(SUPPRESS);
  }

  @Test
  void atMostTenConversationsPerWindow() {
    for (long c = 1; c <= TypingLimiter.MAX_CONVERSATIONS; c++)
      assertThat(limiter.decide(c, TYPING)).isEqualTo(FORWARD);
    advance(3_000);
    assertThat(limiter.decide(11, TYPING)).isEqualTo(REFUSE);
    assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    // The conversations of the window are still served.
    assertThat(limiter.decide(1, TYPING)).isEqualTo(FORWARD);
    advance(7_000);
    assertThat(limiter.decide(11, TYPING)).isEqualTo(FORWARD);
  }

  @Test
  void alternatingActionsCannotExceedTheForwardBudget() {
    int forwarded = 0;
    for (int i = 0; i < 100; i++)
      if (limiter.decide(1, i % 2 == 0 ? TYPING : CANCEL) == FORWARD) forwarded++;
    assertThat(forwarded).isEqualTo(TypingLimiter.MAX_FORWARDS);
    assertThat(limiter.decide(1, TYPING)).isIn(REFUSE, SUPPRESS);
    advance(TypingLimiter.WINDOW.toMillis());
    assertThat(limiter.decide(1, TYPING)).isEqualTo(FORWARD);
  }

  @Test
  void aRefusedIndicatorIsForgottenSoItsRepeatIsCheckedAgain() {
    assertThat(limiter.decide(1, TYPING)).isEqualTo(FORWARD);
    limiter.refused(1);
    assertThat(limiter.decide(1, TYPING)).isEqualTo(FORWARD);
  }
}
