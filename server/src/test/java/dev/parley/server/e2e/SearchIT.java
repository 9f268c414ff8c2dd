package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static dev.parley.server.e2e.TestUsers.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Encoding;
import dev.parley.client.ParleyClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message search suite on the default backend: keyed tokens in PostgreSQL (design.md 14.2);
 * plus the CLI's message search, which does not depend on the backend.
 */
class SearchIT extends MessageSearchCases {
  @TempDir static Path home;

  @BeforeAll
  static void start() {
    startNode(Map.of("msg.search.backend", "postgres"));
  }

  @Override
  void forgetIndexed(long conversationId, long fromSeq) throws Exception {
    update(
        "DELETE FROM msg.search_docs WHERE conversation_id = ? AND seq >= ?",
        conversationId,
        fromSeq);
  }

  @Override
  long indexedDocuments(long conversationId) throws Exception {
    return count("SELECT count(*) FROM msg.search_docs WHERE conversation_id = ?", conversationId);
  }

  @Override
  void setIndexedSeq(long conversationId, long seq) throws Exception {
    update(
        "UPDATE msg.search_progress SET indexed_seq = ? WHERE conversation_id = ?",
        seq,
        conversationId);
  }

  @Test
  void theCliSearchesMessages_andSearchMessagesFindsTheWordsThatNameSubcommands() {
    ParleyClient client = node.client(Encoding.JSON);
    String email = DevCodes.uniqueEmail("cli");
    Device ann = users.track(Device.online(client, codes.register(client, email, "Ann", "a")));
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    long words = send(ben, g, "my chats and contacts");
    long agenda = send(ann, g, "agenda for messages");
    awaitHits(ann, "agenda", g, h -> seqs(h).equals(List.of(agenda)));
    cli("login", email, "--password", Users.PASSWORD, "--server", node.baseUri().toString());

    // The bare form, as before.
    assertThat(cli("search", "agenda"))
        .startsWith("chat " + g + " #" + agenda + " from " + ann.userId() + " at ")
        .endsWith(": [agenda] for messages");
    // "search chats" is the chat search; "search messages chats" searches messages for "chats".
    assertThat(cli("search", "chats", "chats")).isEqualTo("no chats found");
    String byBen = "chat " + g + " #" + words + " from " + ben.userId() + " at ";
    assertThat(cli("search", "messages", "chats"))
        .startsWith(byBen)
        .endsWith(": my [chats] and contacts");
    assertThat(
            cli(
                "search",
                "messages",
                "contacts",
                "--chat",
                Long.toString(g),
                "--sender",
                Long.toString(ben.userId())))
        .startsWith(byBen)
        .endsWith(": my chats and [contacts]");
    assertThat(cli("search", "messages", "messages", "--sender", Long.toString(ben.userId())))
        .isEqualTo("no messages found");
    assertThat(cli("search", "messages", "messages")).endsWith(": agenda for [messages]");
  }

  private static String cli(String... args) {
    return InProcessCli.ok(home, args);
  }
}
