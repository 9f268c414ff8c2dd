package dev.parley.msg.search;

/**
 * One run of a text as search sees it: a folded word of a spaced script, or a run of CJK
 * characters. {@code origin[i]} is the index (UTF-16) in the original text where folded character
 * {@code i} came from, and {@code origin[length]} the end of the run there, so a match on folded
 * text can be marked on the original.
 */
public final class Segment {
  private final String text;
  private final boolean cjk;
  private final int[] origin;

  Segment(String text, boolean cjk, int[] origin) {
    if (origin.length != text.length() + 1)
      throw new IllegalArgumentException("origin must map every folded character and the end");
    this.text = text;
    this.cjk = cjk;
    this.origin = origin.clone();
  }

  /** The folded text (lower case, no diacritics; CJK unchanged). */
  public String text() {
    return text;
  }

  public boolean cjk() {
    return cjk;
  }

  /** Where folded character {@code i} (0..length) starts in the original text. */
  public int originAt(int i) {
    return origin[i];
  }

  public int start() {
    return origin[0];
  }

  public int end() {
    return origin[text.length()];
  }

  @Override
  public String toString() {
    return (cjk ? "cjk:" : "word:") + text;
  }
}
