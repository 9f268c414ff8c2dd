package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.GetConversationsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cli chats [--limit N]}: get_conversations, most recently active first, page after page
 * until N conversations (or the end). The badge ({@code total_unread}) is the first page's: it
 * counts every conversation, shown or not. With {@code --json}, one {@code
 * GetConversationsResponse} holding all pages.
 */
@Command(
    name = "chats",
    description = "List conversations, most recently active first, with unread counts.")
final class ChatsCommand extends CliSubcommand {
  /** The largest page the server gives by default; larger --limit values take several pages. */
  static final int PAGE = 100;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "Show at most N conversations (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  void run(CliContext context) {
    if (limit <= 0) {
      throw usage("--limit must be positive, not " + limit);
    }
    Connection connection = context.connect();
    GetConversationsResponse.Builder all = GetConversationsResponse.newBuilder();
    String cursor = "";
    boolean first = true;
    while (all.getConversationsCount() < limit && (first || !cursor.isEmpty())) {
      GetConversationsResponse page =
          Futures.await(
              connection.getConversations(
                  Math.min(PAGE, limit - all.getConversationsCount()), cursor));
      if (first) {
        all.setTotalUnread(page.getTotalUnread());
        first = false;
      }
      all.addAllConversations(page.getConversationsList());
      cursor = page.getNextCursor();
      if (page.getConversationsCount() == 0) {
        break; // a server that pages with an empty answer must not make us loop
      }
    }
    GetConversationsResponse result = all.setNextCursor(cursor).build();
    context.print(
        result,
        () ->
            context
                    .format()
                    .chats()
                    .conversations(
                        result.getConversationsList(),
                        Integer.toUnsignedLong(result.getTotalUnread()))
                + (result.getNextCursor().isEmpty()
                    ? ""
                    : "(more: --limit " + (limit + PAGE) + ")\n"));
  }
}
