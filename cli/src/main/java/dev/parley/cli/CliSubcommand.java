package dev.parley.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A subcommand of {@code cli}. It reports its own failures — {@code error: REASON: message} on
 * stderr and an exit code, see {@link Failure} — rather than leaving them to the
 * execution-exception handler, because in the launcher that handler belongs to the launcher's
 * {@code CommandLine}. Usage errors ({@link ParameterException}) still go to picocli, which prints
 * them with the usage and exits with 2.
 *
 * <p>A subcommand may sit directly under {@code cli} ({@code cli chats}) or one level deeper
 * ({@code cli group create}); either way the global options live in the {@link CliCommand} above
 * it.
 */
abstract class CliSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    CliContext context = cli().context(spec.commandLine());
    try (context) {
      run(context);
      return ExitCodes.OK;
    } catch (ParameterException e) {
      throw e;
    } catch (RuntimeException e) {
      Failure failure = Failure.of(e).withServer(context.serverForMessages());
      context.err().println(failure.line());
      if (context.verbose()) {
        e.printStackTrace(context.err());
      }
      context.err().flush();
      return failure.exitCode();
    }
  }

  /** Does the command's one thing and prints its result; failures are thrown. */
  abstract void run(CliContext context);

  /** A usage error: printed by picocli with the usage, exit code 2. */
  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The {@code cli} command this one runs under, however deep. */
  private CliCommand cli() {
    for (CommandSpec parent = spec.parent(); parent != null; parent = parent.parent()) {
      if (parent.userObject() instanceof CliCommand cli) {
        return cli;
      }
    }
    throw new IllegalStateException(spec.qualifiedName() + " does not run under 'cli'");
  }
}
