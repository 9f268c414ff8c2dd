package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.GetPinnedMessagesResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Pinned messages (protocol section 10.11): {@code pin-message CHAT SEQ [--off]} pins or unpins a
 * message (group admins and the owner; both users of a one-to-one chat), {@code pinned CHAT} lists
 * the pinned messages, most recently pinned first. Other devices see the pin entry ({@code watch},
 * {@code sync}). Not to be confused with {@code pin} and {@code pins}, which pin chats in the
 * user's own list.
 */
final class PinCommands {
  private PinCommands() {}

  @Command(
      name = "pin-message",
      description =
          "Pin a message for everyone in its conversation (--off: unpin; `pin` pins a chat).")
  static final class PinMessage extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "SEQ", description = "The message.")
    long seq;

    @Option(names = "--off", description = "Unpin instead.")
    boolean off;

    @Override
    void run(CliContext context) {
      var connection = context.connect();
      if (off) {
        var r = Futures.await(connection.unpinMessage(conversationId, seq));
        context.print(r, () -> outcome("unpinned", seq, r.getSeq()));
      } else {
        var r = Futures.await(connection.pinMessage(conversationId, seq));
        context.print(r, () -> outcome("pinned", seq, r.getSeq()));
      }
    }
  }

  @Command(
      name = "pinned",
      description = "List a conversation's pinned messages, most recently pinned first.")
  static final class Pinned extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Override
    void run(CliContext context) {
      var connection = context.connect();
      GetPinnedMessagesResponse.Builder all = GetPinnedMessagesResponse.newBuilder();
      long before = 0;
      GetPinnedMessagesResponse page;
      do {
        page = Futures.await(connection.getPinnedMessages(conversationId, before, 100));
        all.addAllPinned(page.getPinnedList());
        if (page.getPinnedCount() > 0)
          before = page.getPinned(page.getPinnedCount() - 1).getPinSeq();
      } while (page.getMore() && page.getPinnedCount() > 0);
      EntryFormat entries = context.format().entries();
      context.print(
          all,
          () -> {
            StringBuilder out = new StringBuilder();
            for (GetPinnedMessagesResponse.Pinned p : all.getPinnedList())
              out.append(entries.entry(p.getMessage()))
                  .append(" (pinned by ")
                  .append(p.getPinnedBy())
                  .append(")\n");
            return out.isEmpty() ? "no pinned messages" : out.toString();
          });
    }
  }

  /** "#12 pinned (pin entry #15)", or "#12 already pinned" (unpinned: the same). */
  static String outcome(String done, long seq, long entrySeq) {
    return entrySeq == 0
        ? "#" + seq + " already " + done
        : "#" + seq + " " + done + " (pin entry #" + entrySeq + ")";
  }
}
