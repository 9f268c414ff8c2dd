package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.MarkReadResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cli read CHAT [SEQ]}: mark_read. Without SEQ, up to the conversation's newest entry as
 * get_conversation reports it — not "everything, whatever arrives meanwhile": an entry that arrives
 * between the two requests stays unread.
 */
@Command(
    name = "read",
    description = "Mark a conversation read up to SEQ (default: its newest entry).")
final class ReadCommand extends CliSubcommand {
  @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
  long conversationId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "SEQ", description = "The last entry read.")
  Long seq;

  @Override
  void run(CliContext context) {
    if (seq != null && seq < 0) {
      throw usage("SEQ must not be negative, not " + seq);
    }
    Connection connection = context.connect();
    long upTo =
        seq != null
            ? seq
            : Futures.await(connection.getConversation(conversationId))
                .getConversation()
                .getLastSeq();
    MarkReadResponse read = Futures.await(connection.markRead(conversationId, upTo));
    context.print(read, () -> ChatFormat.markedRead(conversationId, read));
  }
}
