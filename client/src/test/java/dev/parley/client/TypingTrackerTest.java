package dev.parley.client;

import static dev.parley.proto.client.TypingState.Action.CANCEL;
import static dev.parley.proto.client.TypingState.Action.TYPING;
import static dev.parley.proto.client.TypingState.Action.UPLOADING_PHOTO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Typing;
import dev.parley.proto.client.TypingState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TypingTrackerTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T16:00:00Z"), ZoneOffset.UTC);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final BlockingQueue<TypingIndicator> emitted = new LinkedBlockingQueue<>();
  private final TypingTracker tracker = new TypingTracker(clock, timer, emitted::add);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static Typing typing(long conversation, long user, TypingState.Action a, int ms) {
    return Typing.newBuilder()
        .setConversationId(conversation)
        .setUserId(user)
        .setAction(a)
        .setExpiresInMs(ms)
        .build();
  }

  private TypingIndicator next() throws InterruptedException {
    TypingIndicator i = emitted.poll(30, TimeUnit.SECONDS);
    assertThat(i).as("an indicator").isNotNull();
    return i;
  }

  @Test
  void anIndicatorThatIsNotRenewedEndsByItself() throws InterruptedException {
    tracker.event(typing(1, 7, TYPING, 50));
    TypingIndicator shown = next();
    assertThat(shown.action()).isEqualTo(TYPING);
    assertThat(shown.expiresAt()).isEqualTo(clock.instant().plusMillis(50));
    TypingIndicator ended = next();
    assertThat(ended.stopped()).isTrue();
    assertThat(ended.userId()).isEqualTo(7);
    assertThat(tracker.showing(1)).isEmpty();
  }

  @Test
  void aRenewalOutlivesTheFirstIndicatorsTimer() throws InterruptedException {
    tracker.event(typing(1, 7, TYPING, 50));
    tracker.event(typing(1, 7, UPLOADING_PHOTO, 600_000));
    assertThat(next().action()).isEqualTo(TYPING);
    assertThat(next().action()).isEqualTo(UPLOADING_PHOTO);
    // The first timer fires and finds its indicator replaced: nothing ends.
    assertThat(emitted.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(tracker.showing(1))
        .extracting(TypingIndicator::action)
        .containsExactly(UPLOADING_PHOTO);
  }

  @Test
  void cancelAndADroppedConnectionEndWhatIsShown() throws InterruptedException {
    tracker.event(typing(1, 7, TYPING, 600_000));
    tracker.event(typing(1, 8, TYPING, 600_000));
    tracker.event(typing(2, 7, TYPING, 600_000));
    for (int i = 0; i < 3; i++) next();
    assertThat(tracker.showing(1)).extracting(TypingIndicator::userId).containsExactly(7L, 8L);

    tracker.event(typing(1, 7, CANCEL, 0));
    assertThat(next()).satisfies(i -> assertThat(i.stopped()).isTrue());
    tracker.event(typing(1, 7, CANCEL, 0)); // nothing shown any more: nothing to report
    tracker.clear();
    List<TypingIndicator> ended = List.of(next(), next());
    assertThat(ended).allMatch(TypingIndicator::stopped);
    assertThat(emitted).isEmpty();
    assertThat(tracker.showing(1)).isEmpty();
    assertThat(tracker.showing(2)).isEmpty();
  }
}
