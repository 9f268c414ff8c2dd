package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.SearchKind;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SearchMessagesResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code search QUERY}: messages the user can see that match, newest first (protocol section 22).
 * One page per call; {@code --cursor} continues where the printed next cursor says. Matches are
 * shown in [brackets]. A query that is exactly {@code chats} or {@code contacts} names the
 * subcommand; search messages for those words with a trailing space ({@code "chats "}).
 */
@Command(
    name = "search",
    description = {
      "Search your messages: words (last one as a prefix), \"a phrase\", or CJK text.",
      "'search chats QUERY' and 'search contacts QUERY' search your chats and contacts by name.",
    },
    subcommands = {SearchCommands.Chats.class, SearchCommands.Contacts.class})
final class SearchCommand extends CliSubcommand {
  // Optional to picocli, so that "search chats QUERY" does not ask the parent for one.
  @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "What to look for.")
  @Nullable String query;

  @Option(names = "--chat", description = "Only in this conversation.")
  long conversationId;

  @Option(names = "--sender", description = "Only messages of this user.")
  long senderId;

  @Option(names = "--since", description = "Sent at or after (2026-12-01 or an ISO instant).")
  String since = "";

  @Option(names = "--until", description = "Sent before (2026-12-01 or an ISO instant).")
  String until = "";

  @Option(names = "--kind", description = "text, image, file or link (default: any).")
  String kind = "any";

  @Option(names = "--limit", description = "Hits per page (default 20, at most 50).")
  int limit;

  @Option(names = "--cursor", description = "The next cursor a previous search printed.")
  String cursor = "";

  @Override
  void run(CliContext context) {
    if (query == null) throw usage("Missing required parameter: 'QUERY'");
    var connection = context.connect();
    SearchMessagesRequest.Builder r =
        SearchMessagesRequest.newBuilder()
            .setQuery(query)
            .setConversationId(conversationId)
            .setSenderId(senderId)
            .setFromMs(ms(since, "--since"))
            .setToMs(ms(until, "--until"))
            .setKind(kind(kind))
            .setCursor(cursor)
            .setLimit(limit);
    SearchMessagesResponse page = Futures.await(connection.searchMessages(r.build()));
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

  private static SearchKind.Kind kind(String name) {
    try {
      return SearchKind.Kind.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "USAGE", "--kind must be text, image, file, link or any", ExitCodes.USAGE, e);
    }
  }

  private static long ms(String when, String option) {
    if (when.isEmpty()) return 0;
    try {
      return when.length() == 10
          ? LocalDate.parse(when).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
          : Instant.parse(when).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new CliException(
          "USAGE", option + " must be a date (2026-12-01) or an ISO instant", ExitCodes.USAGE, e);
    }
  }
}
