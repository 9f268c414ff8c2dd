package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.Audience;
import dev.parley.proto.client.GetPresenceResponse;
import dev.parley.proto.client.PrivacySettings;
import dev.parley.proto.client.SetPrivacyRequest;
import dev.parley.proto.client.UserPresence;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Privacy and presence (protocol section 21): {@code privacy [--forwards A] [--last-seen A]
 * [--always IDS] [--never IDS]} changes what is given and shows the settings; {@code presence
 * USER...} shows what the caller may know of each user.
 */
final class PrivacyCommands {
  private PrivacyCommands() {}

  /** The audiences as typed: everyone, contacts, nobody. */
  enum Who {
    everyone(Audience.AUDIENCE_EVERYONE),
    contacts(Audience.AUDIENCE_CONTACTS),
    nobody(Audience.AUDIENCE_NOBODY);

    final Audience audience;

    Who(Audience audience) {
      this.audience = audience;
    }
  }

  @Command(
      name = "privacy",
      description = "Change your privacy settings; without options, show them.")
  static final class Privacy extends CliSubcommand {
    @Option(names = "--forwards", paramLabel = "WHO", description = "everyone, contacts, nobody.")
    Who forwards;

    @Option(names = "--last-seen", paramLabel = "WHO", description = "everyone, contacts, nobody.")
    Who lastSeen;

    @Option(
        names = "--always",
        paramLabel = "IDS",
        split = ",",
        arity = "0..1",
        description = "Users who always see your last seen (comma-separated; empty clears).")
    List<Long> always;

    @Option(
        names = "--never",
        paramLabel = "IDS",
        split = ",",
        arity = "0..1",
        description = "Users who never see your last seen (comma-separated; empty clears).")
    List<Long> never;

    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      SetPrivacyRequest.Builder change = SetPrivacyRequest.newBuilder();
      if (forwards != null) change.setForwards(forwards.audience);
      if (lastSeen != null) change.setLastSeen(lastSeen.audience);
      if (always != null) change.addAllLastSeenAlways(always).setReplaceLastSeenAlways(true);
      if (never != null) change.addAllLastSeenNever(never).setReplaceLastSeenNever(true);
      boolean changing = forwards != null || lastSeen != null || always != null || never != null;
      PrivacySettings settings =
          changing
              ? Futures.await(connection.setPrivacy(change.build())).getSettings()
              : Futures.await(connection.getPrivacy()).getSettings();
      context.print(settings, () -> describe(settings));
    }

    static String describe(PrivacySettings s) {
      return "forwards: "
          + word(s.getForwards())
          + "\nlast seen: "
          + word(s.getLastSeen())
          + "\nalways: "
          + ids(s.getLastSeenAlwaysList())
          + "\nnever: "
          + ids(s.getLastSeenNeverList())
          + "\n";
    }

    private static String word(Audience a) {
      return a.name().substring("AUDIENCE_".length()).toLowerCase(Locale.ROOT);
    }

    private static String ids(List<Long> ids) {
      return ids.isEmpty()
          ? "-"
          : ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
  }

  @Command(name = "presence", description = "Show whether users are online or when last seen.")
  static final class Presence extends CliSubcommand {
    @Parameters(arity = "1..100", paramLabel = "USER", description = "User ids.")
    List<Long> users;

    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      GetPresenceResponse answer = Futures.await(connection.getPresence(users));
      context.print(
          answer,
          () -> {
            StringBuilder out = new StringBuilder();
            for (UserPresence p : answer.getPresencesList())
              out.append(p.getUserId()).append(": ").append(describe(p)).append('\n');
            return out.toString();
          });
    }

    static String describe(UserPresence p) {
      return switch (p.getStatusCase()) {
        case ONLINE -> "online";
        case LAST_SEEN_MS -> "last seen " + Instant.ofEpochMilli(p.getLastSeenMs());
        case COARSE ->
            "last seen "
                + p.getCoarse()
                    .name()
                    .substring("LAST_SEEN_".length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', ' ');
        case STATUS_NOT_SET -> "unknown";
      };
    }
  }
}
