package dev.parley.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Blocking access to the SDK's futures, for tests, the CLI and other code that wants to wait. */
public final class Futures {
  private Futures() {}

  /**
   * Waits for the future and returns its value, rethrowing the original failure ({@link
   * ClientException}, {@link ConnectionException}, {@link RequestTimeoutException}, ...) rather
   * than a {@link CompletionException} around it. Every future of this SDK completes within its
   * timeout, so this does not take one.
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new CompletionException(cause);
    }
  }

  /**
   * Strips the {@link CompletionException} and {@link ExecutionException} layers around a failure.
   */
  public static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
