package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.GetReadCountsResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cli readers CHAT SEQ...}: get_read_counts — how many members other than the sender read
 * each entry.
 */
@Command(
    name = "readers",
    description = "How many members (other than the sender) have read each entry of a group.")
final class ReadersCommand extends CliSubcommand {
  @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
  long conversationId;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "SEQ",
      description = "Entries to ask about.")
  List<Long> seqs;

  @Override
  void run(CliContext context) {
    GetReadCountsResponse counts =
        Futures.await(context.connect().getReadCounts(conversationId, seqs));
    context.print(counts, () -> ChatFormat.readCounts(counts));
  }
}
