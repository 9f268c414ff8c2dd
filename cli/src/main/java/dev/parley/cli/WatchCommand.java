package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code cli watch}: prints every event as it arrives, one line each, until Ctrl-C, {@code --count}
 * events, or the end of the session. The SDK reconnects through network failures meanwhile; only
 * the first connection must come up within the timeout.
 *
 * <p>Live {@code update} events (new entries, recalls, read markers, receipts, friend and block
 * changes) are printed with their pts, see {@link EntryFormat#update}. They are printed as they
 * come, not synchronized: updates from while the connection was down are not fetched (that is
 * {@code cli sync}).
 *
 * <p>The SDK calls the event and state listeners one at a time in arrival order, so the {@code
 * session_revoked} event of this session is printed before the command ends with {@code
 * LOGGED_OUT}.
 */
@Command(
    name = "watch",
    description =
        "Print events (new messages, read receipts, friend changes, sessions, ...) as they arrive, "
            + "until Ctrl-C or the session ends.")
final class WatchCommand extends CliSubcommand {
  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  Integer count;

  @Override
  void run(CliContext context) {
    if (count != null && count <= 0) {
      throw new ParameterException(spec.commandLine(), "--count must be positive, not " + count);
    }
    Connection connection = context.newConnection();
    CompletableFuture<State> done = new CompletableFuture<>();
    AtomicInteger printed = new AtomicInteger();
    connection.onEvent(
        event -> {
          if (count != null && printed.get() >= count) {
            return; // done; the connection is closing
          }
          context.print(event, () -> context.format().event(event));
          if (count != null && printed.incrementAndGet() >= count) {
            done.complete(connection.state());
          }
        });
    connection.onStateChange(
        state -> {
          if (context.verbose()) {
            context.err().println("connection: " + state);
            context.err().flush();
          }
          if (state.isFinal()) {
            done.complete(state);
          }
        });
    context.awaitReady(connection);

    // Ctrl-C: close the connection with a normal close instead of dropping it.
    Thread closer = new Thread(connection::close, "parley-cli-close");
    Runtime.getRuntime().addShutdownHook(closer);
    try {
      if (done.get() == State.LOGGED_OUT) {
        throw context.loggedOut(connection);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // an embedding application stopped us: end quietly
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // never completed exceptionally
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(closer);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: the JVM is exiting anyway.
      }
    }
  }
}
