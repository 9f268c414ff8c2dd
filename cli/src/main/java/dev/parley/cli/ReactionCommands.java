package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.GetReactorsResponse;
import dev.parley.proto.client.ReactionCount;
import dev.parley.proto.client.SetReactionsResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Reactions (protocol section 10.9): {@code react CHAT SEQ [EMOJI...]} sets the user's full set on
 * a message (none: removes them); {@code reactors CHAT SEQ [--emoji E]} lists who reacted. Other
 * devices see the reaction entry ({@code watch}, {@code sync}).
 */
final class ReactionCommands {
  private ReactionCommands() {}

  @Command(
      name = "react",
      description = "Set your reactions on a message: the full new set; none removes them.")
  static final class React extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "SEQ", description = "The message.")
    long seq;

    @Parameters(index = "2..*", paramLabel = "EMOJI", description = "Your reactions (at most 3).")
    List<String> emoji = new ArrayList<>();

    @Override
    void run(CliContext context) {
      SetReactionsResponse r =
          Futures.await(context.connect().setReactions(conversationId, seq, emoji));
      context.print(
          r,
          () ->
              "#"
                  + seq
                  + ": "
                  + counts(r.getReactionsList())
                  + (r.getSeq() == 0 ? " (unchanged)" : " (reaction entry #" + r.getSeq() + ")"));
    }
  }

  @Command(name = "reactors", description = "List who reacted to a message, oldest first.")
  static final class Reactors extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "SEQ", description = "The message.")
    long seq;

    @Option(names = "--emoji", paramLabel = "EMOJI", description = "Only this reaction.")
    String emoji = "";

    @Override
    void run(CliContext context) {
      var connection = context.connect();
      GetReactorsResponse.Builder all = GetReactorsResponse.newBuilder();
      String cursor = "";
      do {
        GetReactorsResponse page =
            Futures.await(connection.getReactors(conversationId, seq, emoji, cursor, 100));
        all.addAllReactors(page.getReactorsList());
        cursor = page.getNextCursor();
      } while (!cursor.isEmpty());
      context.print(
          all,
          () -> {
            StringBuilder out = new StringBuilder();
            for (GetReactorsResponse.Reactor r : all.getReactorsList())
              out.append(r.getEmoji()).append(' ').append(r.getUserId()).append('\n');
            return out.isEmpty() ? "no reactions" : out.toString().stripTrailing();
          });
    }
  }

  /** "👍 2 (you), ❤ 1", or "no reactions". */
  static String counts(List<ReactionCount> counts) {
    if (counts.isEmpty()) return "no reactions";
    List<String> parts = new ArrayList<>();
    for (ReactionCount c : counts)
      parts.add(c.getEmoji() + " " + c.getCount() + (c.getReactedByMe() ? " (you)" : ""));
    return String.join(", ", parts);
  }
}
