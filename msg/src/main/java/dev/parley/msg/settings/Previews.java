package dev.parley.msg.settings;

/** A conversation's preview exception. Codes are stored (msg.chat_state.previews): never reuse. */
public enum Previews {
  /** Follow the global show_previews. */
  DEFAULT(0),
  SHOW(1),
  HIDE(2);

  public final int code;

  Previews(int code) {
    this.code = code;
  }

  public static Previews of(int code) {
    for (Previews p : values()) if (p.code == code) return p;
    throw new IllegalArgumentException("unknown previews code " + code);
  }
}
