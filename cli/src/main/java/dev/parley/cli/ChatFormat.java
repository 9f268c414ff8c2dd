package dev.parley.cli;

import static dev.parley.cli.HumanFormat.clean;
import static dev.parley.cli.HumanFormat.orDash;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetReadCountsResponse;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/** The human output of the conversation and message commands. */
final class ChatFormat {
  private final LongFunction<String> time;
  private final EntryFormat entries;

  ChatFormat(LongFunction<String> time, EntryFormat entries) {
    this.time = time;
    this.entries = entries;
  }

  /**
   * One row per conversation: id, type, title (groups) or peer (direct), unread, the last entry and
   * the time of the last activity; then the badge.
   */
  String conversations(List<Conversation> conversations, long totalUnread) {
    return conversations(conversations, totalUnread, null);
  }

  /**
   * As {@link #conversations(List, long)}, with a column NEW: the entries that arrived, by
   * conversation.
   */
  String synced(List<Conversation> conversations, long totalUnread, Map<Long, Integer> newEntries) {
    return conversations(conversations, totalUnread, newEntries);
  }

  private String conversations(
      List<Conversation> conversations, long totalUnread, @Nullable Map<Long, Integer> newEntries) {
    if (conversations.isEmpty()) {
      return "no conversations\ntotal unread: " + totalUnread + "\n";
    }
    Table table =
        newEntries == null
            ? new Table().row("ID", "TYPE", "WITH", "UNREAD", "LAST", "TIME")
            : new Table().row("ID", "TYPE", "WITH", "NEW", "UNREAD", "LAST", "TIME");
    for (Conversation c : conversations) {
      String last =
          c.hasLastMessage()
              ? "#"
                  + c.getLastMessage().getSeq()
                  + " "
                  + c.getLastMessage().getSenderId()
                  + ": "
                  + entries.preview(c.getLastMessage())
              : "-";
      String id = Long.toString(c.getConversationId());
      String unread = Integer.toUnsignedString(c.getUnreadCount());
      String at = time.apply(c.getLastActivityMs());
      if (newEntries == null) {
        table.row(id, type(c), with(c), unread, last, at);
      } else {
        table.row(
            id,
            type(c),
            with(c),
            Integer.toString(newEntries.getOrDefault(c.getConversationId(), 0)),
            unread,
            last,
            at);
      }
    }
    return table.render() + "total unread: " + totalUnread + "\n";
  }

  /**
   * {@code direct} or {@code group}, with {@code , left} or {@code , disbanded} when nothing new
   * arrives.
   */
  static String type(Conversation c) {
    String type =
        switch (c.getType()) {
          case CONVERSATION_TYPE_DIRECT -> "direct";
          case CONVERSATION_TYPE_GROUP -> "group";
          default -> "-";
        };
    if (c.getDisbanded()) {
      return type + ", disbanded";
    }
    return c.getLeft() ? type + ", left" : type;
  }

  /** A group's title; the other user of a direct conversation. */
  static String with(Conversation c) {
    return c.getType() == ConversationType.CONVERSATION_TYPE_DIRECT
        ? "user " + c.getPeerUserId()
        : orDash(clean(c.getTitle()));
  }

  /** Entries in display order (seq order), one line each; an empty page says so. */
  String history(List<Message> inSeqOrder) {
    if (inSeqOrder.isEmpty()) {
      return "no entries\n";
    }
    StringBuilder out = new StringBuilder();
    for (Message m : inSeqOrder) {
      out.append(entries.entry(m)).append('\n');
    }
    return out.toString();
  }

  /** A conversation's summary, then its members with their roles; {@code names} by user id. */
  String conversation(GetConversationResponse r, Map<Long, String> names) {
    Conversation c = r.getConversation();
    Table summary =
        new Table().row("conversation", Long.toString(c.getConversationId())).row("type", type(c));
    if (c.getType() == ConversationType.CONVERSATION_TYPE_DIRECT) {
      summary.row("with", "user " + c.getPeerUserId()).row("peer read", "#" + c.getPeerReadSeq());
    } else {
      summary
          .row("title", orDash(clean(c.getTitle())))
          .row("your role", EntryFormat.role(c.getRole()));
    }
    summary
        .row("members", Integer.toUnsignedString(c.getMemberCount()))
        .row("last seq", "#" + c.getLastSeq())
        .row(
            "read",
            "#" + c.getReadSeq() + ", " + Integer.toUnsignedString(c.getUnreadCount()) + " unread")
        .row(
            "visible",
            "#"
                + c.getFirstVisibleSeq()
                + (c.getLastVisibleSeq() == 0 ? " on" : " to #" + c.getLastVisibleSeq()))
        .row("last activity", time.apply(c.getLastActivityMs()));
    Table members = new Table().row("USER", "NAME", "ROLE", "JOINED", "READ");
    for (Member m : r.getMembersList()) {
      members.row(
          Long.toString(m.getUserId()),
          orDash(clean(names.getOrDefault(m.getUserId(), ""))),
          EntryFormat.role(m.getRole()),
          time.apply(m.getJoinedAtMs()),
          "#" + m.getReadSeq());
    }
    return summary.render() + "\n" + members.render();
  }

  /** {@code #seq read by n}, one line per entry asked about that the caller may see. */
  static String readCounts(GetReadCountsResponse r) {
    if (r.getCountsCount() == 0) {
      return "no such entries\n";
    }
    StringBuilder out = new StringBuilder();
    for (GetReadCountsResponse.ReadCount count : r.getCountsList()) {
      out.append('#')
          .append(count.getSeq())
          .append(" read by ")
          .append(Integer.toUnsignedString(count.getReadCount()))
          .append('\n');
    }
    return out.toString();
  }

  /** The answer to a send: where the message went, and whether this was the first time. */
  /** The result of an upload: the id to put in messages, and what the server verified. */
  static String uploaded(FileInfo file, boolean deduplicated) {
    return "uploaded: file "
        + file.getFileId()
        + " ("
        + clean(file.getName())
        + ", "
        + file.getMimeType()
        + ", "
        + file.getSize()
        + " bytes"
        + (file.getWidth() > 0 ? ", " + file.getWidth() + "x" + file.getHeight() : "")
        + (deduplicated ? "; the server had this content already, no bytes sent" : "")
        + ")";
  }

  static String downloaded(FileInfo file, String variant, Path written) {
    return "downloaded: file "
        + file.getFileId()
        + (variant.isEmpty() ? "" : " (thumbnail " + variant + ")")
        + " to "
        + written;
  }

  static String sent(SendMessageResponse r, String clientMsgId) {
    String where =
        "conversation "
            + r.getConversationId()
            + " #"
            + r.getSeq()
            + " (message "
            + r.getMessageId()
            + ", client_msg_id "
            + clientMsgId
            + ")";
    return r.getDuplicate()
        ? "already sent: " + where + "; duplicate, nothing new was stored"
        : "sent: " + where;
  }

  static String markedRead(long conversationId, MarkReadResponse r) {
    return "conversation "
        + conversationId
        + " read up to #"
        + r.getReadSeq()
        + ", "
        + Integer.toUnsignedString(r.getUnreadCount())
        + " unread";
  }
}
