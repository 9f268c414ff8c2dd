package dev.parley.cli;

import dev.parley.client.Encoding;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code cli}: the command-line client. The launcher adds it with {@code
 * commandLine.addSubcommand(new CliCommand())}; {@link CliMain} runs it alone. The global options
 * are inherited, so they may also follow the subcommand ({@code cli whoami --json}).
 *
 * <p>Defaults that depend on the environment (server, home directory) are resolved from the map
 * given to the constructor, not from {@code System.getenv()} directly, so tests can run without
 * touching the real home directory.
 */
@Command(
    name = "cli",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "parley-cli 0.1.0",
    description = {
      "A command-line Parley client: account and sessions, conversations and messages, friends, groups, "
          + "live events.",
      "Users and conversations are given by their ids (see 'lookup', 'chats').",
    },
    subcommands = {
      // account and sessions
      CodeCommand.class,
      RegisterCommand.class,
      LoginCommand.class,
      WhoamiCommand.class,
      SessionsCommand.class,
      RevokeCommand.class,
      LogoutCommand.class,
      ProfileCommand.class,
      PasswordCommand.class,
      LookupCommand.class,
      RefreshCommand.class,
      PrivacyCommands.Privacy.class,
      PrivacyCommands.Presence.class,
      // conversations and messages
      ChatsCommand.class,
      SendCommand.class,
      SendFileCommand.class,
      DownloadCommand.class,
      HistoryCommand.class,
      ReadCommand.class,
      RecallCommand.class,
      ForwardCommand.class,
      ReadersCommand.class,
      ReactionCommands.React.class,
      ReactionCommands.Reactors.class,
      PinCommands.PinMessage.class,
      PinCommands.Pinned.class,
      SearchCommand.class,
      // notification settings
      NotifyCommands.Mute.class,
      NotifyCommands.Unmute.class,
      NotifyCommands.Previews.class,
      NotifyCommands.Notify.class,
      ChatStateCommands.Pin.class,
      ChatStateCommands.Pins.class,
      ChatStateCommands.Archive.class,
      ChatStateCommands.Unread.class,
      ChatStateCommands.SaveDraft.class,
      // friends and the blocklist
      RelationCommands.Friends.class,
      RelationCommands.Requests.class,
      RelationCommands.Friend.class,
      RelationCommands.Block.class,
      RelationCommands.Unblock.class,
      RelationCommands.Blocked.class,
      // groups
      GroupCommand.class,
      // the update feed and events
      WatchCommand.class,
      SyncCommand.class,
      HelpCommand.class,
    })
public final class CliCommand implements Callable<Integer> {
  static final String DEFAULT_SERVER = "http://localhost:8080";

  @Option(
      names = "--server",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "Server base URL (default: $PARLEY_SERVER, else the server the profile logged in to, "
              + "else "
              + DEFAULT_SERVER
              + ").")
  String server;

  @Option(
      names = "--profile",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      defaultValue = "default",
      description = "Credentials profile (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--home",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Where profiles are kept (default: $PARLEY_CLI_HOME, else ~/.parley).")
  Path home;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print results as canonical proto3 JSON (one object per line).")
  boolean json;

  @Option(
      names = "--encoding",
      scope = ScopeType.INHERIT,
      paramLabel = "protobuf|json",
      defaultValue = "protobuf",
      converter = Converters.EncodingConverter.class,
      description = "Wire encoding for HTTP and the WebSocket (default: ${DEFAULT-VALUE}).")
  Encoding encoding;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "How long to wait for a connection and for each answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors (and, run alone, the SDK's log).")
  boolean verbose;

  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final InputStream stdin;

  /** Reads the process environment and standard input. */
  public CliCommand() {
    this(System.getenv(), System.in);
  }

  /**
   * For tests and embedding: {@code env} stands in for the environment, {@code stdin} for
   * System.in.
   */
  public CliCommand(Map<String, String> env, InputStream stdin) {
    this.env = Map.copyOf(env);
    this.stdin = stdin;
  }

  /** {@code cli} without a subcommand: usage on stderr. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /**
   * The context of one subcommand run; {@code commandLine} is the subcommand's, for its writers.
   */
  CliContext context(CommandLine commandLine) {
    if (timeoutSeconds <= 0) {
      throw new ParameterException(
          commandLine, "--timeout must be positive, not " + timeoutSeconds);
    }
    ProfileStore store;
    try {
      store = ProfileStore.open(homeDirectory(), profile);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, e.getMessage());
    }
    return new CliContext(
        store,
        server != null ? server : env.get("PARLEY_SERVER"),
        encoding,
        Duration.ofSeconds(timeoutSeconds),
        json,
        verbose,
        commandLine.getOut(),
        commandLine.getErr(),
        stdin,
        new HumanFormat(ZoneId.systemDefault()));
  }

  private Path homeDirectory() {
    if (home != null) {
      return home;
    }
    String fromEnv = env.get("PARLEY_CLI_HOME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    return Path.of(System.getProperty("user.home"), ".parley");
  }
}
