package dev.parley.cli;

import static dev.parley.cli.CliRunner.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.SearchKind;
import dev.parley.proto.client.SearchMessagesRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the search commands read their arguments: the bare form, and {@code search messages} for any
 * query, also one that names a subcommand. Parsing only, nothing reaches a server.
 */
class SearchArgumentsTest {
  @Test
  void theBareFormSearchesMessagesWithItsFilters() {
    SearchCommand c =
        parse(
            SearchCommand.class,
            "search",
            "agenda",
            "--chat",
            "55",
            "--kind",
            "link",
            "--since",
            "2026-12-01");
    SearchMessagesRequest r = c.options.request(Objects.requireNonNull(c.query));

    assertThat(r.getQuery()).isEqualTo("agenda");
    assertThat(r.getConversationId()).isEqualTo(55);
    assertThat(r.getKind()).isEqualTo(SearchKind.Kind.LINK);
    assertThat(r.getFromMs()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void searchMessagesTakesAnyQuery_evenTheNameOfASubcommand() {
    for (String word : List.of("chats", "contacts", "messages")) {
      SearchCommands.Messages m =
          parse(SearchCommands.Messages.class, "search", "messages", word, "--chat", "7");
      SearchMessagesRequest r = m.options.request(m.query);
      assertThat(r.getQuery()).isEqualTo(word);
      assertThat(r.getConversationId()).isEqualTo(7);
    }
    // The bare word still names the subcommand.
    assertThat(parse(Object.class, "search", "chats", "ann"))
        .isInstanceOf(SearchCommands.Chats.class);
  }

  @Test
  void optionsBeforeMessagesAreAUsageError_notAFilterSilentlyDropped(@TempDir Path home) {
    CliRunner.Run run = new CliRunner(home).run("search", "--chat", "7", "messages", "x");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Put the options after 'messages'");
    assertThat(new CliRunner(home).run("search", "messages").exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
