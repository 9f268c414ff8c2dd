package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.NameMatch;
import dev.parley.proto.client.SearchChatsResponse;
import dev.parley.proto.client.SearchContactsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code search chats QUERY} and {@code search contacts QUERY}: the user's own chats and contacts
 * by title and names, best first (protocol section 22.2, 22.3). Matches are shown in [brackets].
 * {@code search messages QUERY}: the message search of {@code search QUERY}, for any query.
 */
final class SearchCommands {
  private SearchCommands() {}

  /** What both take: the query and how many results at most. */
  abstract static class ByName extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for.")
    String query;

    @Option(names = "--limit", description = "At most this many (default 20, at most 50).")
    int limit;
  }

  @Command(
      name = "messages",
      description = {
        "Your messages, as 'search QUERY' finds them; for any query, also the words chats,"
            + " contacts and messages.",
        "The options go after 'messages'.",
      })
  static final class Messages extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for.")
    String query;

    @Mixin MessageQueryOptions options = new MessageQueryOptions();

    @ParentCommand SearchCommand parent;

    @Override
    void run(CliContext context) {
      // Options before "messages" belong to the bare form, which does not run: ignoring them would
      // search without the filter the user asked for.
      if (parent.options.given())
        throw usage("Put the options after 'messages' (search messages QUERY --chat ID ...)");
      SearchCommand.search(context, options.request(query));
    }
  }

  @Command(
      name = "chats",
      description = "Your chats by group title, the other user's name, or a member's name.")
  static final class Chats extends ByName {
    @Override
    void run(CliContext context) {
      SearchChatsResponse found = Futures.await(context.connect().searchChats(query, limit));
      context.print(found, () -> human(found));
    }

    static String human(SearchChatsResponse found) {
      StringBuilder out = new StringBuilder();
      for (SearchChatsResponse.Chat c : found.getChatsList()) {
        boolean group = c.getType() == ConversationType.CONVERSATION_TYPE_GROUP;
        out.append("chat ")
            .append(c.getConversationId())
            .append(group ? " group \"" : " with " + c.getPeerUserId() + " \"")
            .append(c.getTitle())
            .append('"')
            .append(c.getFormer() ? " (left)" : "");
        if (c.getMatch().getField() != NameMatch.Field.TITLE)
          out.append(" — ").append(who(c.getMatch()));
        else out.append(": ").append(marked(c.getMatch()));
        out.append('\n');
      }
      if (out.isEmpty()) out.append("no chats found\n");
      return out.toString();
    }
  }

  @Command(name = "contacts", description = "Your contacts (friends) by display name or username.")
  static final class Contacts extends ByName {
    @Override
    void run(CliContext context) {
      SearchContactsResponse found = Futures.await(context.connect().searchContacts(query, limit));
      context.print(found, () -> human(found));
    }

    static String human(SearchContactsResponse found) {
      StringBuilder out = new StringBuilder();
      for (SearchContactsResponse.Contact c : found.getContactsList())
        out.append("user ")
            .append(c.getProfile().getUserId())
            .append(" \"")
            .append(c.getProfile().getDisplayName())
            .append('"')
            .append(
                c.getProfile().getUsername().isEmpty() ? "" : " @" + c.getProfile().getUsername())
            .append(": ")
            .append(marked(c.getMatch()))
            .append('\n');
      if (out.isEmpty()) out.append("no contacts found\n");
      return out.toString();
    }
  }

  /** "user 123 name 王[小明]" or "user 123 username [wang]_xiaoming". */
  private static String who(NameMatch m) {
    String what = m.getField() == NameMatch.Field.USERNAME ? "username " : "name ";
    return "user " + m.getUserId() + " " + what + marked(m);
  }

  private static String marked(NameMatch m) {
    return SearchCommand.marked(m.getText(), m.getHighlightsList());
  }
}
