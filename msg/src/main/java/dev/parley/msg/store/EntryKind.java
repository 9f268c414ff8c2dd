package dev.parley.msg.store;

/** What an entry of a conversation log is. Stored in msg.entries.kind: never reuse a number. */
public enum EntryKind {
  TEXT(1, true),
  IMAGE(2, true),
  FILE(3, true),
  SERVICE(10, false),
  RECALL(11, false),
  /** An edit of the text or caption of entry ref_seq (design.md 13). */
  EDIT(12, false),
  /** A change of its sender's reactions on entry ref_seq (design.md 13.4). */
  REACTION(13, false),
  /** A pin or unpin of entry ref_seq (design.md 13.5). */
  PIN(14, false);

  public final short code;

  /** Counts toward unread: a message a person wrote. */
  public final boolean countable;

  EntryKind(int code, boolean countable) {
    this.code = (short) code;
    this.countable = countable;
  }

  public static EntryKind of(short code) {
    for (EntryKind k : values()) if (k.code == code) return k;
    throw new IllegalArgumentException("unknown entry kind " + code);
  }

  /** The codes of countable kinds, for SQL. */
  public static final Short[] COUNTABLE = {TEXT.code, IMAGE.code, FILE.code};
}
