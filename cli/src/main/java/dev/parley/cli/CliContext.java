package dev.parley.cli;

import com.google.protobuf.MessageOrBuilder;
import dev.parley.client.Connection;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.ParleyClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one subcommand run works with: the resolved global options, the profile, the output writers,
 * and an SDK client built on first use and closed (with its connections, cleanly) by {@link
 * #close()}.
 */
final class CliContext implements AutoCloseable {
  private final ProfileStore profile;
  private final @Nullable String serverOption;
  private final Encoding encoding;
  private final Duration timeout;
  private final boolean json;
  private final boolean verbose;
  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream stdin;
  private final HumanFormat format;
  private @Nullable String server;
  private @Nullable ParleyClient client;

  /**
   * {@code serverOption}: from --server or $PARLEY_SERVER; null to use the profile's or the
   * default.
   */
  CliContext(
      ProfileStore profile,
      @Nullable String serverOption,
      Encoding encoding,
      Duration timeout,
      boolean json,
      boolean verbose,
      PrintWriter out,
      PrintWriter err,
      InputStream stdin,
      HumanFormat format) {
    this.profile = profile;
    this.serverOption = serverOption;
    this.encoding = encoding;
    this.timeout = timeout;
    this.json = json;
    this.verbose = verbose;
    this.out = out;
    this.err = err;
    this.stdin = stdin;
    this.format = format;
  }

  ProfileStore profile() {
    return profile;
  }

  HumanFormat format() {
    return format;
  }

  /** How long to wait for a connection and for each answer (--timeout). */
  Duration timeout() {
    return timeout;
  }

  boolean verbose() {
    return verbose;
  }

  PrintWriter err() {
    return err;
  }

  /** The server base URL: the option, else the one the profile logged in to, else the default. */
  synchronized String server() {
    if (server == null) {
      String s = serverOption;
      if (s == null || s.isBlank()) {
        s = profile.read().server();
      }
      if (s.isBlank()) {
        s = CliCommand.DEFAULT_SERVER;
      }
      server = s.strip().replaceAll("/+$", "");
    }
    return server;
  }

  /** The server if it is known by now, for error messages; never fails. */
  synchronized String serverForMessages() {
    return server != null ? server : serverOption != null ? serverOption : "the server";
  }

  synchronized ParleyClient client() {
    if (client == null) {
      try {
        client =
            ParleyClient.builder(URI.create(server()))
                .encoding(encoding)
                .requestTimeout(timeout)
                .connectTimeout(timeout)
                .build();
      } catch (IllegalArgumentException e) {
        throw new CliException("BAD_SERVER", e.getMessage(), ExitCodes.USAGE, e);
      }
    }
    return client;
  }

  /** The saved credentials; {@code NOT_LOGGED_IN} when there are none. */
  Credentials credentials() {
    return profile.load().orElseThrow(() -> CliException.notLoggedIn(profile.name()));
  }

  /**
   * A connection with the profile's credentials that has reached READY; see {@link #awaitReady}.
   */
  Connection connect() {
    return awaitReady(newConnection());
  }

  /**
   * A connection with the profile's credentials, not started: add listeners, then {@link
   * #awaitReady}.
   */
  Connection newConnection() {
    credentials();
    return client().newConnection(profile);
  }

  /**
   * Starts the connection and waits, at most the timeout, until it is READY. Fails with {@code
   * LOGGED_OUT} when the session turns out to have ended (the SDK has then cleared the
   * credentials), with {@code TIMEOUT} otherwise.
   */
  Connection awaitReady(Connection connection) {
    connection.start();
    try {
      connection.awaitState(Connection.State.READY, timeout);
      return connection;
    } catch (IllegalStateException e) {
      if (connection.state() == Connection.State.LOGGED_OUT) {
        throw loggedOut(connection);
      }
      throw new CliException(
          "TIMEOUT",
          "no connection to " + server() + " within " + timeout.toSeconds() + " s: " + connection,
          ExitCodes.FAILED,
          e);
    }
  }

  /** The failure for a connection that reached LOGGED_OUT. */
  CliException loggedOut(Connection connection) {
    String why =
        connection
            .terminationCause()
            .map(Failure::of)
            .map(
                f ->
                    f.reason().equals("LOGGED_OUT") ? f.message() : f.reason() + ": " + f.message())
            .or(() -> connection.lastClose().map(close -> "closed " + close))
            .orElse("logged out");
    return CliException.loggedOut(profile.name(), why);
  }

  /** Prints a command's result: the message as JSON with --json, else the human text. */
  void print(MessageOrBuilder result, Supplier<String> human) {
    out.println(json ? Encoding.toJson(result) : human.get().stripTrailing());
    out.flush();
  }

  /** One line from standard input, without its line terminator (for --password-stdin). */
  String readLine(String what) {
    try {
      String line =
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw new CliException("USAGE", "expected " + what + " on standard input", ExitCodes.USAGE);
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " from standard input", e);
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
