package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.client.Messenger;
import dev.parley.proto.client.ForwardMessagesResponse;
import dev.parley.proto.client.ForwardResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cli forward CHAT SEQ... --to CHAT [--to CHAT]...}: forward_messages. One line per target:
 * the seqs of the copies there, or why that target refused them. Run it again with the printed
 * {@code --client-msg-id} to retry without making second copies.
 */
@Command(
    name = "forward",
    description = "Forward messages of a conversation to other conversations (with their origin).")
final class ForwardCommand extends CliSubcommand {
  @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation to forward from.")
  long fromConversationId;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "SEQ",
      description = "The messages to forward (at most 100).")
  List<Long> seqs = new ArrayList<>();

  @Option(
      names = "--to",
      paramLabel = "CHAT",
      required = true,
      description = "A conversation to forward to (repeatable, at most 20).")
  List<Long> targets = new ArrayList<>();

  @Option(
      names = "--client-msg-id",
      paramLabel = "ID",
      description = "The idempotency key; repeat a printed one to retry (default: a new one).")
  String clientMsgId = Messenger.newClientMsgId();

  @Override
  void run(CliContext context) {
    ForwardMessagesResponse answer =
        Futures.await(
            context.connect().forwardMessages(fromConversationId, seqs, targets, clientMsgId));
    context.print(answer, () -> describe(answer, clientMsgId));
  }

  static String describe(ForwardMessagesResponse answer, String clientMsgId) {
    List<String> lines = new ArrayList<>();
    for (ForwardResult r : answer.getResultsList()) {
      String copies = r.getSeqsList().stream().map(s -> "#" + s).collect(Collectors.joining(" "));
      String line = "chat " + r.getConversationId() + ": ";
      if (r.hasError())
        line +=
            "refused: "
                + r.getError().getReason()
                + " ("
                + r.getError().getMessage()
                + ")"
                + (copies.isEmpty() ? "" : " after " + copies);
      else line += copies + (r.getDuplicate() ? " (already forwarded)" : "");
      lines.add(line);
    }
    lines.add("client_msg_id " + clientMsgId);
    return String.join("\n", lines);
  }
}
