package dev.parley.push.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what went wrong on our side of a send (an exception, not a provider's answer) into an
 * outcome. Network trouble is transient; anything else is a bug or a bad configuration, which a
 * retry will not cure.
 */
public final class Failures {
  private Failures() {}

  public static PushOutcome outcomeOf(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof ConnectException) return new PushOutcome.RetryLater(null, "unreachable");
    if (e instanceof HttpTimeoutException || e instanceof TimeoutException)
      return new PushOutcome.RetryLater(null, "timeout");
    if (e instanceof IOException)
      return new PushOutcome.RetryLater(null, "io: " + e.getClass().getSimpleName());
    if (e instanceof CancellationException) return new PushOutcome.RetryLater(null, "cancelled");
    return new PushOutcome.PermanentFailure("error: " + e.getClass().getSimpleName());
  }

  /**
   * The exception inside the wrappers that futures (and lambdas that may not throw) put around it.
   */
  public static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException
            || e instanceof ExecutionException
            || e instanceof UncheckedIOException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
