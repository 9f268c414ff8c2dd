package dev.parley.cli;

import dev.parley.proto.client.SearchKind;
import dev.parley.proto.client.SearchMessagesRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The filters and paging of a message search (protocol section 22.1), a picocli mixin shared by
 * {@code search QUERY} and {@code search messages QUERY}.
 */
final class MessageQueryOptions {
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

  /** Whether any option was given (default values aside). */
  boolean given() {
    return conversationId != 0
        || senderId != 0
        || !since.isEmpty()
        || !until.isEmpty()
        || !kind.equals("any")
        || limit != 0
        || !cursor.isEmpty();
  }

  SearchMessagesRequest request(String query) {
    return SearchMessagesRequest.newBuilder()
        .setQuery(query)
        .setConversationId(conversationId)
        .setSenderId(senderId)
        .setFromMs(ms(since, "--since"))
        .setToMs(ms(until, "--until"))
        .setKind(kind(kind))
        .setCursor(cursor)
        .setLimit(limit)
        .build();
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
