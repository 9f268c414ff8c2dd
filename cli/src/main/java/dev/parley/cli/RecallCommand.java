package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.RecallMessageResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cli recall CHAT SEQ}: recall_message; the answer is the seq of the appended recall entry.
 */
@Command(
    name = "recall",
    description =
        "Recall a message: yours within the recall window, any as a group admin or owner.")
final class RecallCommand extends CliSubcommand {
  @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
  long conversationId;

  @Parameters(index = "1", paramLabel = "SEQ", description = "The message to recall.")
  long seq;

  @Override
  void run(CliContext context) {
    RecallMessageResponse recalled =
        Futures.await(context.connect().recallMessage(conversationId, seq));
    context.print(
        recalled,
        () ->
            "recalled #"
                + seq
                + " of conversation "
                + conversationId
                + " (recall entry #"
                + recalled.getSeq()
                + ")");
  }
}
