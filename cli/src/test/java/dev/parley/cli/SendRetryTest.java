package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.ClientException;
import dev.parley.client.ConnectionException;
import dev.parley.client.RequestTimeoutException;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The retry loop on a fake clock: pauses move the clock instead of blocking. */
class SendRetryTest {
  static final SendMessageRequest REQUEST =
      SendMessageRequest.newBuilder()
          .setUserId(8)
          .setClientMsgId("id-1")
          .setText(TextContent.newBuilder().setText("hi"))
          .build();
  static final SendMessageResponse ANSWER =
      SendMessageResponse.newBuilder().setConversationId(55).setSeq(1).build();

  long nanos;
  final List<Duration> pauses = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final List<SendMessageRequest> attempts = new ArrayList<>();

  /** What the attempts answer, in order; an exception fails the attempt. */
  final Deque<Object> outcomes = new ArrayDeque<>();

  boolean gone;

  final List<Duration> attemptTimeouts = new ArrayList<>();

  SendRetry retry(Duration budget) {
    return new SendRetry(
        budget,
        Duration.ofSeconds(10),
        () -> nanos,
        delay -> {
          pauses.add(delay);
          nanos += delay.toNanos();
        },
        new SplittableRandom(42),
        notes::add);
  }

  SendMessageResponse send(Duration budget) {
    return retry(budget)
        .send(
            REQUEST,
            (request, timeout) -> {
              attempts.add(request);
              attemptTimeouts.add(timeout);
              Object outcome = outcomes.removeFirst();
              // An attempt that timed out waited for all of its time; any other takes a second.
              nanos +=
                  outcome instanceof RequestTimeoutException
                      ? timeout.toNanos()
                      : Duration.ofSeconds(1).toNanos();
              return outcome instanceof RuntimeException e
                  ? CompletableFuture.failedFuture(e)
                  : CompletableFuture.completedFuture((SendMessageResponse) outcome);
            },
            () -> gone);
  }

  static ClientException error(int code, Reason reason, int retryAfterMs) {
    return new ClientException(
        Error.newBuilder()
            .setCode(code)
            .setReason(reason)
            .setMessage("no")
            .setRetryAfterMs(retryAfterMs)
            .build());
  }

  @Test
  void anAnswerOnTheFirstAttemptIsTheResult() {
    outcomes.add(ANSWER);
    assertThat(send(Duration.ofSeconds(60))).isEqualTo(ANSWER);
    assertThat(attempts).hasSize(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void attemptsWithoutAnAnswerAreRepeatedWithTheSameRequest() {
    outcomes.add(new RequestTimeoutException("no answer"));
    outcomes.add(new ConnectionException("dropped"));
    outcomes.add(error(503, Reason.UNAVAILABLE, 0));
    outcomes.add(ANSWER.toBuilder().setDuplicate(true).build());

    assertThat(send(Duration.ofSeconds(60)).getDuplicate()).isTrue();

    assertThat(attempts).hasSize(4).allSatisfy(request -> assertThat(request).isEqualTo(REQUEST));
    assertThat(pauses).hasSize(3);
    // Full jitter under a doubling ceiling: 100 ms, 200 ms, 400 ms.
    assertThat(pauses.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
    assertThat(pauses.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));
    assertThat(pauses.get(2)).isBetween(Duration.ZERO, Duration.ofMillis(400));
    assertThat(notes)
        .hasSize(3)
        .first()
        .asString()
        .startsWith("send_message attempt 1 failed (TIMEOUT: no answer), again in ")
        .endsWith(" ms with the same client_msg_id id-1");
  }

  @Test
  void theServersRetryAfterIsTheLeastPause() {
    outcomes.add(error(429, Reason.RATE_LIMITED, 3_000));
    outcomes.add(ANSWER);

    send(Duration.ofSeconds(60));

    assertThat(pauses).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aDefiniteErrorEndsTheSendAtOnce() {
    outcomes.add(error(403, Reason.BLOCKED, 0));

    assertThatThrownBy(() -> send(Duration.ofSeconds(60)))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BLOCKED));
    assertThat(attempts).hasSize(1);
  }

  @Test
  void anEndedConnectionEndsTheSend() {
    gone = true;
    outcomes.add(new ConnectionException("logged out"));

    assertThatThrownBy(() -> send(Duration.ofSeconds(60))).isInstanceOf(ConnectionException.class);
    assertThat(attempts).hasSize(1);
  }

  @Test
  void afterTheBudgetItFailsWithTimeoutNamingTheIdToResendWith() {
    for (int i = 0; i < 10; i++) {
      outcomes.add(new ConnectionException("dropped"));
    }

    assertThatThrownBy(() -> send(Duration.ofMillis(1_500)))
        .isInstanceOfSatisfying(
            CliException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("TIMEOUT");
              assertThat(e.getMessage())
                  .startsWith(
                      "no answer to send_message in 2 attempts within 1 s (last: CONNECTION_FAILED: dropped)")
                  .endsWith("sending again with --client-msg-id id-1 cannot duplicate it");
            });
    assertThat(attempts).hasSize(2);
  }

  @Test
  void noAttemptWaitsBeyondTheBudget() {
    outcomes.add(new RequestTimeoutException("no answer"));
    outcomes.add(ANSWER);

    send(Duration.ofSeconds(15));

    // The first attempt waits its 10 s in vain, the pause takes at most 100 ms: less than 5 s are
    // left.
    assertThat(attemptTimeouts.get(0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(attemptTimeouts.get(1)).isBetween(Duration.ofMillis(4_900), Duration.ofSeconds(5));
  }

  @Test
  void onlyAnswerlessAndNotNowFailuresAreRetryable() {
    assertThat(SendRetry.retryable(new RequestTimeoutException("x"))).isTrue();
    assertThat(SendRetry.retryable(new ConnectionException("x"))).isTrue();
    assertThat(SendRetry.retryable(error(503, Reason.UNAVAILABLE, 0))).isTrue();
    assertThat(SendRetry.retryable(error(429, Reason.TOO_MANY_IN_FLIGHT, 0))).isTrue();
    assertThat(SendRetry.retryable(error(500, Reason.INTERNAL, 0))).isTrue();
    assertThat(SendRetry.retryable(error(400, Reason.INVALID_ARGUMENT, 0))).isFalse();
    assertThat(SendRetry.retryable(error(404, Reason.NOT_FOUND, 0))).isFalse();
    assertThat(SendRetry.retryable(error(409, Reason.CONVERSATION_CLOSED, 0))).isFalse();
    assertThat(SendRetry.retryable(new IllegalStateException("bug"))).isFalse();
  }
}
