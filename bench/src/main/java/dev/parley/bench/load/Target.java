package dev.parley.bench.load;

/**
 * Where a message goes: a direct conversation with one peer (addressed by user id until the first
 * answer names the conversation), or a group conversation with its recipients (every member but the
 * sender).
 */
public record Target(long conversationId, int peer, int[] recipients) {
  public static Target direct(int peer) {
    return new Target(0, peer, new int[] {peer});
  }

  public static Target group(long conversationId, int[] recipients) {
    return new Target(conversationId, -1, recipients);
  }
}
