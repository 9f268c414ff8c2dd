package dev.parley.cli;

import static dev.parley.cli.HumanFormat.clean;

import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.ForwardedFrom;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.FriendUpdate;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.Update;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * One line per conversation entry and per feed update. Users are shown by id: the lines are read by
 * people and grepped by scripts, and an id is what the other commands take.
 *
 * <p>Entry lines: {@code #seq time sender: content}, where content is the text, {@code [image
 * WxH]}, {@code [file NAME]} (each followed by a caption if there is one), {@code [service: ACTION
 * actor → users ...]}, {@code [recall of #n]}, or {@code [recalled]} for an entry whose content was
 * recalled. Text from other users is printed with its control characters escaped (see {@link
 * HumanFormat#clean}); the lines of a multi-line text after the first are indented.
 */
final class EntryFormat {
  /** Where the lines after the first of a multi-line text start. */
  static final String CONTINUATION = "\n    ";

  private static final int PREVIEW_LENGTH = 40;

  private final LongFunction<String> time;

  EntryFormat(LongFunction<String> time) {
    this.time = time;
  }

  /** {@code #seq time sender: content}, as {@code history} prints it. */
  String entry(Message m) {
    return "#"
        + m.getSeq()
        + " "
        + time.apply(m.getSentAtMs())
        + " "
        + m.getSenderId()
        + ": "
        + content(m);
  }

  /** {@code chat #seq sender: content}, as {@code watch} prints a new entry. */
  String live(Message m) {
    return m.getConversationId() + " #" + m.getSeq() + " " + m.getSenderId() + ": " + content(m);
  }

  /** What an entry says, without seq, time and sender. */
  String content(Message m) {
    if (m.getRecalled()) {
      return "[recalled]";
    }
    return m.hasForwardedFrom() ? forwarded(m.getForwardedFrom()) + " " + body(m) : body(m);
  }

  /** Where a forwarded copy came from: the sender unless hidden, the group if any. */
  static String forwarded(ForwardedFrom f) {
    String who = f.getSenderId() == 0 ? "a hidden sender" : "user " + f.getSenderId();
    return "[forwarded from "
        + who
        + (f.getGroupId() == 0 ? "" : " in group " + f.getGroupId())
        + "]";
  }

  private String body(Message m) {
    return switch (m.getContentCase()) {
      case TEXT -> lines(m.getText().getText());
      case IMAGE -> image(m.getImage());
      case FILE -> file(m.getFile());
      case SERVICE -> service(m.getService());
      case RECALL -> "[recall of #" + m.getRecall().getTargetSeq() + "]";
      case EDIT -> "[edit of #" + m.getEdit().getTargetSeq() + "] " + lines(m.getEdit().getText());
      case REACTION ->
          "[reactions on #"
              + m.getReaction().getTargetSeq()
              + ": "
              + (m.getReaction().getEmojiCount() == 0
                  ? "removed"
                  : String.join(" ", m.getReaction().getEmojiList()))
              + "]";
      case PIN ->
          (m.getPin().getPinned() ? "[pinned #" : "[unpinned #") + m.getPin().getTargetSeq() + "]";
      case CONTENT_NOT_SET -> "[unknown content (newer than this client)]";
    };
  }

  /** The content on one line, shortened to about 40 characters: for the conversation list. */
  String preview(Message m) {
    String oneLine = content(m).replace(CONTINUATION, " ");
    if (oneLine.codePointCount(0, oneLine.length()) <= PREVIEW_LENGTH) {
      return oneLine;
    }
    return oneLine.substring(0, oneLine.offsetByCodePoints(0, PREVIEW_LENGTH - 1)) + "…";
  }

  private static String image(ImageContent i) {
    return "[image " + i.getWidth() + "x" + i.getHeight() + "]" + caption(i.getCaption());
  }

  private static String file(FileContent f) {
    return "[file " + clean(f.getName()) + "]" + caption(f.getCaption());
  }

  private static String caption(String caption) {
    return caption.isEmpty() ? "" : " " + lines(caption);
  }

  /** A text that may span lines: each line cleaned, the lines after the first indented. */
  static String lines(String text) {
    return Arrays.stream(text.split("\r?\n", -1))
        .map(HumanFormat::clean)
        .collect(Collectors.joining(CONTINUATION));
  }

  /**
   * {@code [service: ACTION actor → users]} plus what the action carries: the title of
   * GROUP_CREATED and TITLE_CHANGED, the role of ROLE_CHANGED.
   */
  static String service(ServiceContent s) {
    StringBuilder line =
        new StringBuilder("[service: ")
            .append(s.getAction().name())
            .append(' ')
            .append(s.getActorId());
    if (s.getUserIdsCount() > 0) {
      line.append(" → ")
          .append(
              s.getUserIdsList().stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    if (!s.getTitle().isEmpty()) {
      line.append(" \"").append(clean(s.getTitle())).append('"');
    }
    if (s.getRole() != Role.ROLE_UNSPECIFIED) {
      line.append(' ').append(role(s.getRole()));
    }
    return line.append(']').toString();
  }

  /** {@code owner}, {@code admin}, {@code member}. */
  static String role(Role role) {
    return switch (role) {
      case ROLE_OWNER -> "owner";
      case ROLE_ADMIN -> "admin";
      case ROLE_MEMBER -> "member";
      default -> "-";
    };
  }

  /**
   * {@code update PTS KIND: details}, KIND named as in the protocol: {@code message} (the entry as
   * {@link #live}), {@code read_marker}, {@code read_receipt}, {@code friend_request}, {@code
   * friend}, {@code block}, {@code chat_state} and {@code notify_settings} (as {@link
   * NotifyFormat}).
   */
  String update(Update u) {
    String head =
        "update " + u.getPts() + " " + u.getKindCase().name().toLowerCase(Locale.ROOT) + ": ";
    return switch (u.getKindCase()) {
      case MESSAGE -> head + live(u.getMessage());
      case READ_MARKER -> head + readMarker(u.getReadMarker());
      case READ_RECEIPT -> head + readReceipt(u.getReadReceipt());
      case FRIEND_REQUEST -> head + friendRequest(u.getFriendRequest());
      case FRIEND -> head + friend(u.getFriend());
      case BLOCK -> head + block(u.getBlock());
      case CHAT_STATE -> head + NotifyFormat.chatState(u.getChatState());
      case NOTIFY_SETTINGS -> head + NotifyFormat.settings(u.getNotifySettings());
      case KIND_NOT_SET -> "update " + u.getPts() + ": unknown kind (newer than this client)";
    };
  }

  private static String readMarker(ReadMarker r) {
    return r.getConversationId()
        + " read up to #"
        + r.getReadSeq()
        + ", "
        + r.getUnreadCount()
        + " unread";
  }

  private static String readReceipt(ReadReceipt r) {
    return r.getConversationId() + " user " + r.getUserId() + " read up to #" + r.getReadSeq();
  }

  private static String friendRequest(FriendRequestUpdate u) {
    FriendRequest r = u.getRequest();
    return u.getState().name()
        + " from "
        + r.getFromUserId()
        + " to "
        + r.getToUserId()
        + (r.getNote().isEmpty() ? "" : " \"" + clean(r.getNote()) + "\"");
  }

  private String friend(FriendUpdate f) {
    return f.getFriends()
        ? "user " + f.getUserId() + " is a friend since " + time.apply(f.getSinceMs())
        : "user " + f.getUserId() + " is no longer a friend";
  }

  private static String block(BlockUpdate b) {
    return "user " + b.getUserId() + (b.getBlocked() ? " blocked" : " unblocked");
  }
}
