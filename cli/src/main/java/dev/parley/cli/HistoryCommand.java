package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.Message;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cli history CHAT [--before SEQ] [--limit N] [--forward] [--after SEQ]}: one page of
 * get_history. By default the newest entries (before SEQ); with {@code --forward} or {@code
 * --after} the oldest (after SEQ). Either way the lines are in display order, oldest first,
 * followed by the option that pages on when there is more. {@code --json} prints the answer as the
 * server sent it (newest first unless forward).
 */
@Command(name = "history", description = "Show a page of a conversation's entries, oldest first.")
final class HistoryCommand extends CliSubcommand {
  @Parameters(paramLabel = "CHAT", description = "The conversation.")
  long conversationId;

  @Option(
      names = "--before",
      paramLabel = "SEQ",
      description = "Entries before SEQ (default: the newest).")
  Long beforeSeq;

  @Option(
      names = "--after",
      paramLabel = "SEQ",
      description = "Entries after SEQ, oldest first (implies --forward).")
  Long afterSeq;

  @Option(
      names = "--forward",
      description = "From the first entry you may see (or --after SEQ) onwards.")
  boolean forward;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N entries (default: the server's, 50).")
  Integer limit;

  @Override
  void run(CliContext context) {
    GetHistoryRequest request = request();
    GetHistoryResponse page = Futures.await(context.connect().getHistory(request));
    context.print(
        page,
        () -> {
          List<Message> entries = inSeqOrder(page);
          return context.format().chats().history(entries) + more(request, page, entries);
        });
  }

  GetHistoryRequest request() {
    if (beforeSeq != null && (afterSeq != null || forward)) {
      throw usage(
          "--before pages back from the newest entries; it cannot be combined with --after or --forward");
    }
    if (beforeSeq != null && beforeSeq <= 0 || afterSeq != null && afterSeq < 0) {
      throw usage("sequence numbers start at 1");
    }
    if (limit != null && limit <= 0) {
      throw usage("--limit must be positive, not " + limit);
    }
    GetHistoryRequest.Builder request =
        GetHistoryRequest.newBuilder().setConversationId(conversationId);
    if (beforeSeq != null) {
      request.setBeforeSeq(beforeSeq);
    }
    if (afterSeq != null || forward) {
      request.setForward(true).setAfterSeq(afterSeq == null ? 0 : afterSeq);
    }
    if (limit != null) {
      request.setLimit(limit);
    }
    return request.build();
  }

  /** The protocol's direction rule: oldest first with {@code forward} or an {@code after_seq}. */
  static boolean oldestFirst(GetHistoryRequest request) {
    return request.getForward() || request.getAfterSeq() > 0;
  }

  /** Display order, whichever direction the page was read in. */
  static List<Message> inSeqOrder(GetHistoryResponse page) {
    List<Message> entries = new ArrayList<>(page.getMessagesList());
    entries.sort((a, b) -> Long.compare(a.getSeq(), b.getSeq()));
    return entries;
  }

  /** How to ask for the next page in the same direction, if there is one. */
  private static String more(
      GetHistoryRequest request, GetHistoryResponse page, List<Message> inSeqOrder) {
    if (!page.getMore() || inSeqOrder.isEmpty()) {
      return "";
    }
    return oldestFirst(request)
        ? "(more: --after " + inSeqOrder.getLast().getSeq() + ")\n"
        : "(more: --before " + inSeqOrder.getFirst().getSeq() + ")\n";
  }
}
