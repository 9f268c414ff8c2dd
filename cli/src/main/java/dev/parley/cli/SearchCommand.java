package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SearchMessagesResponse;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code search QUERY}: messages the user can see that match, newest first (protocol section 22).
 * One page per call; {@code --cursor} continues where the printed next cursor says. Matches are
 * shown in [brackets]. A query that is exactly the name of a subcommand ({@code chats}, {@code
 * contacts}, {@code messages}) names the subcommand: {@code search messages QUERY} is the same
 * search for any query.
 */
@Command(
    name = "search",
    description = {
      "Search your messages: words (last one as a prefix), \"a phrase\", or CJK text.",
      "'search chats QUERY' and 'search contacts QUERY' search your chats and contacts by name.",
      "'search messages QUERY' searches messages too, also for the words chats, contacts and"
          + " messages.",
    },
    subcommands = {
      SearchCommands.Messages.class,
      SearchCommands.Chats.class,
      SearchCommands.Contacts.class
    })
final class SearchCommand extends CliSubcommand {
  // Optional to picocli, so that "search chats QUERY" does not ask the parent for one.
  @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "What to look for.")
  @Nullable String query;

  @Mixin MessageQueryOptions options = new MessageQueryOptions();

  @Override
  void run(CliContext context) {
    if (query == null) throw usage("Missing required parameter: 'QUERY'");
    search(context, options.request(query));
  }

  /** Runs one message search and prints the page. */
  static void search(CliContext context, SearchMessagesRequest request) {
    SearchMessagesResponse page = Futures.await(context.connect().searchMessages(request));
    context.print(page, () -> human(page));
  }

  static String human(SearchMessagesResponse page) {
    StringBuilder out = new StringBuilder();
    for (SearchMessagesResponse.Hit h : page.getHitsList())
      out.append("chat ")
          .append(h.getConversationId())
          .append(" #")
          .append(h.getSeq())
          .append(" from ")
          .append(h.getSenderId())
          .append(" at ")
          .append(Instant.ofEpochMilli(h.getSentAtMs()))
          .append(": ")
          .append(marked(h))
          .append('\n');
    if (out.isEmpty()) out.append("no messages found\n");
    if (!page.getNextCursor().isEmpty())
      out.append("more: --cursor ").append(page.getNextCursor()).append('\n');
    return out.toString();
  }

  /** The snippet with its highlights in [brackets]. */
  static String marked(SearchMessagesResponse.Hit h) {
    return marked(h.getSnippet(), h.getHighlightsList());
  }

  /** {@code s} with the highlighted ranges in [brackets]. */
  static String marked(String s, List<SearchMessagesResponse.Highlight> highlights) {
    StringBuilder b = new StringBuilder();
    int at = 0;
    for (SearchMessagesResponse.Highlight m : highlights) {
      int start = Math.max(at, m.getOffset());
      int end = Math.min(s.length(), m.getOffset() + m.getLength());
      if (start >= end) continue;
      b.append(s, at, start).append('[').append(s, start, end).append(']');
      at = end;
    }
    return b.append(s.substring(at)).toString();
  }
}
