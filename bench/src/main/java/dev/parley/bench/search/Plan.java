package dev.parley.bench.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Who talks to whom in the search scenario, the same for the same seed: {@code conversations}
 * one-to-one conversations among {@code users} users, {@code messages} messages in all. User 0 is
 * the heavy user: its {@code heavyConversations} conversations (with users 1, 2, …) carry {@code
 * heavyMessages} messages together, the visible history its searches run over. The other
 * conversations are distinct random pairs of the other users and share the rest of the messages.
 * Message k goes to conversation {@link #conversationOf}(k) (shuffled, so every conversation grows
 * throughout the load), from one of its two members.
 */
public final class Plan {
  /** A one-to-one conversation between users {@code a} and {@code b} (account indexes). */
  public record Pair(int a, int b) {}

  private final List<Pair> pairs;
  private final int heavyConversations;
  private final int[] order;
  private final BitSet fromB;

  private Plan(List<Pair> pairs, int heavyConversations, int[] order, BitSet fromB) {
    this.pairs = pairs;
    this.heavyConversations = heavyConversations;
    this.order = order;
    this.fromB = fromB;
  }

  /**
   * @throws IllegalArgumentException when the sizes do not fit (more conversations than distinct
   *     pairs, more heavy messages than messages, …)
   */
  public static Plan of(
      int users,
      int conversations,
      int messages,
      int heavyConversations,
      int heavyMessages,
      long seed) {
    if (users < 3) throw new IllegalArgumentException("the search scenario needs at least 3 users");
    if (heavyConversations < 1
        || heavyConversations > users - 1
        || heavyConversations >= conversations)
      throw new IllegalArgumentException(
          "--heavy-conversations must be 1.." + Math.min(users - 1, conversations - 1));
    if (heavyMessages < heavyConversations || heavyMessages > messages)
      throw new IllegalArgumentException(
          "--heavy-messages must be between --heavy-conversations and --messages");
    int others = conversations - heavyConversations;
    long distinct = (long) (users - 1) * (users - 2) / 2;
    if (others > distinct)
      throw new IllegalArgumentException(
          users + " users have only " + distinct + " pairs besides the heavy user's conversations");
    if (messages - heavyMessages < others)
      throw new IllegalArgumentException(
          "fewer messages than conversations outside the heavy user's");
    SplittableRandom random = new SplittableRandom(seed);
    List<Pair> pairs = new ArrayList<>(conversations);
    for (int i = 1; i <= heavyConversations; i++) pairs.add(new Pair(0, i));
    Set<Long> taken = new HashSet<>();
    while (pairs.size() < conversations) {
      int a = 1 + random.nextInt(users - 1);
      int b = 1 + random.nextInt(users - 1);
      if (a == b || !taken.add(Math.min(a, b) * (long) users + Math.max(a, b))) continue;
      pairs.add(new Pair(a, b));
    }
    int[] order = new int[messages];
    fill(order, 0, heavyMessages, 0, heavyConversations);
    fill(order, heavyMessages, messages, heavyConversations, conversations);
    for (int i = messages - 1; i > 0; i--) { // Fisher–Yates
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    BitSet fromB = new BitSet(messages);
    for (int i = 0; i < messages; i++) if (random.nextBoolean()) fromB.set(i);
    return new Plan(List.copyOf(pairs), heavyConversations, order, fromB);
  }

  /** Messages [from, to) spread evenly over conversations [first, end). */
  private static void fill(int[] order, int from, int to, int first, int end) {
    int n = end - first;
    for (int i = from; i < to; i++) order[i] = first + (i - from) % n;
  }

  public int messages() {
    return order.length;
  }

  public List<Pair> pairs() {
    return pairs;
  }

  /** Conversations 0 .. heavyConversations-1 are the heavy user's. */
  public int heavyConversations() {
    return heavyConversations;
  }

  public int conversationOf(int message) {
    return order[message];
  }

  /** The sender of message k: either member of its conversation, decided by the seed. */
  public int senderOf(int message) {
    Pair p = pairs.get(order[message]);
    return !fromB.get(message) ? p.a() : p.b();
  }

  /** The other member. */
  public int peerOf(int message) {
    Pair p = pairs.get(order[message]);
    return senderOf(message) == p.a() ? p.b() : p.a();
  }
}
