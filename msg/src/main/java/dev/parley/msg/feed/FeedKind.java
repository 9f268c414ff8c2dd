package dev.parley.msg.feed;

/** What a feed row points at. The numbers are stored in msg.feed.kind: never reuse one. */
public enum FeedKind {
  ENTRY(1),
  READ_MARKER(2),
  READ_RECEIPT(3),
  FRIEND_REQUEST(10),
  FRIEND(11),
  BLOCK(12),
  CHAT_STATE(20),
  NOTIFY_SETTINGS(21);

  public final short code;

  FeedKind(int code) {
    this.code = (short) code;
  }

  public static FeedKind of(short code) {
    for (FeedKind k : values()) if (k.code == code) return k;
    throw new IllegalArgumentException("unknown feed kind " + code);
  }
}
