package dev.parley.cli;

import com.google.protobuf.MessageOrBuilder;
import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.ReorderPinnedChatsResponse;
import dev.parley.proto.client.SaveDraftResponse;
import dev.parley.proto.client.SetChatArchivedResponse;
import dev.parley.proto.client.SetChatPinnedResponse;
import dev.parley.proto.client.SetMarkedUnreadResponse;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The chat list state (protocol section 19): {@code pin CHAT [--off]}, {@code pins CHAT...} (the
 * order of all pinned chats, top first), {@code archive CHAT [--off]}, {@code unread CHAT [--off]},
 * {@code draft CHAT [TEXT] [--reply-to SEQ]} (no text: delete). Every change reaches the user's
 * other devices through the feed ({@code watch} and {@code sync} print it).
 */
final class ChatStateCommands {
  private ChatStateCommands() {}

  /** A command that sets or clears (--off) one flag of a conversation's state. */
  abstract static class Toggle extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Option(names = "--off", description = "Undo it.")
    boolean off;

    /** The response (printed whole with --json) and the state it carries. */
    record Answer(MessageOrBuilder response, ChatState state) {}

    abstract Answer set(Connection connection, long conversationId, boolean on);

    @Override
    void run(CliContext context) {
      Answer a = set(context.connect(), conversationId, !off);
      context.print(a.response(), () -> NotifyFormat.chatState(conversationId, a.state()));
    }
  }

  @Command(name = "pin", description = "Pin a conversation on top of the list (--off: unpin).")
  static final class Pin extends Toggle {
    @Override
    Answer set(Connection connection, long conversationId, boolean on) {
      SetChatPinnedResponse r = Futures.await(connection.setChatPinned(conversationId, on));
      return new Answer(r, r.getState());
    }
  }

  @Command(name = "archive", description = "Archive a conversation (--off: unarchive).")
  static final class Archive extends Toggle {
    @Override
    Answer set(Connection connection, long conversationId, boolean on) {
      SetChatArchivedResponse r = Futures.await(connection.setChatArchived(conversationId, on));
      return new Answer(r, r.getState());
    }
  }

  @Command(
      name = "unread",
      description = "Mark a conversation as unread (--off: clear the mark; reading clears it too).")
  static final class Unread extends Toggle {
    @Override
    Answer set(Connection connection, long conversationId, boolean on) {
      SetMarkedUnreadResponse r = Futures.await(connection.setMarkedUnread(conversationId, on));
      return new Answer(r, r.getState());
    }
  }

  @Command(name = "pins", description = "Set the order of all pinned conversations, top first.")
  static final class Pins extends CliSubcommand {
    @Parameters(arity = "1..*", paramLabel = "CHAT", description = "Every pinned conversation.")
    List<Long> order;

    @Override
    void run(CliContext context) {
      ReorderPinnedChatsResponse r = Futures.await(context.connect().reorderPinnedChats(order));
      context.print(
          r,
          () ->
              r.getStatesList().stream()
                  .map(NotifyFormat::chatState)
                  .collect(Collectors.joining(System.lineSeparator())));
    }
  }

  @Command(
      name = "draft",
      description = "Save a conversation's draft, synced to your devices; without TEXT, delete it.")
  static final class SaveDraft extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT", description = "The draft.")
    String text = "";

    @Option(names = "--reply-to", paramLabel = "SEQ", description = "The message it answers.")
    long replyTo;

    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      SaveDraftResponse r = Futures.await(connection.saveDraft(conversationId, text, replyTo));
      context.print(r, () -> NotifyFormat.chatState(conversationId, r.getState()));
    }
  }
}
