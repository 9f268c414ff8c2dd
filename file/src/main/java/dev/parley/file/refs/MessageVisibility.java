package dev.parley.file.refs;

import java.util.List;

/**
 * The message service's answer to "may this user see one of these messages?", which download and
 * attachment rights depend on (design.md 11.6). Implemented by the message service's code and wired
 * by the server: the file service never reads the message tables itself.
 */
@FunctionalInterface
public interface MessageVisibility {
  /**
   * Whether {@code userId} may see at least one of {@code refs}: a member (current or former) whose
   * visible range holds the entry, and the entry not recalled.
   */
  boolean anyVisible(long userId, List<MessageRef> refs);

  /** No messages at all (a file service without a message service): only uploaders read. */
  MessageVisibility NONE = (userId, refs) -> false;
}
