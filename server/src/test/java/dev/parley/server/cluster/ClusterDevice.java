package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.MemorySyncStore;
import dev.parley.client.Messenger;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.Message;
import dev.parley.server.audit.ConversationLogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One logged-in device of a cluster test: a connection of a client that knows both gateways (its
 * preferred one first), the SDK's sync engine on a {@link MemorySyncStore}, and records of what it
 * saw:
 *
 * <ul>
 *   <li>every {@code onMessage} announcement, per (conversation, seq) and in order, to check "each
 *       entry once, in seq order";
 *   <li>every live {@code update} event by pts (group entries outside the feed by conversation and
 *       seq), to see replays (one that arrived twice: the dispatcher handed the delivery over
 *       again, or a reconnect overlapped), which the SDK must swallow;
 *   <li>when the connection became READY, to measure how long a failover took.
 * </ul>
 */
final class ClusterDevice implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  final String name;
  final Credentials credentials;
  final MemorySyncStore store = new MemorySyncStore();
  final Connection connection;
  final Messenger messenger;
  private final Map<String, AtomicInteger> announced = new ConcurrentHashMap<>();
  private final Map<Long, List<Long>> order = new ConcurrentHashMap<>();

  /**
   * Live updates by identity: "pts:N" for feed updates, "entry:conversation:seq" for group entries
   * without pts.
   */
  private final Map<String, AtomicInteger> livePts = new ConcurrentHashMap<>();

  private final AtomicLong lastLiveAt = new AtomicLong();
  private final List<Long> liveAt = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> readyAt = Collections.synchronizedList(new ArrayList<>());

  private ClusterDevice(ParleyClient client, String name, Credentials credentials) {
    this.name = name;
    this.credentials = credentials;
    this.connection = client.newConnection(TokenStore.inMemory(credentials));
    this.messenger =
        Messenger.builder(connection, store)
            .gapWait(Duration.ofMillis(300))
            .sendTimeout(Duration.ofSeconds(45))
            .attach();
    messenger.onMessage(
        m -> {
          announced
              .computeIfAbsent(m.getConversationId() + ":" + m.getSeq(), k -> new AtomicInteger())
              .incrementAndGet();
          order
              .computeIfAbsent(
                  m.getConversationId(), k -> Collections.synchronizedList(new ArrayList<>()))
              .add(m.getSeq());
        });
    connection.onEvent(
        e -> {
          if (e.hasUpdate()) {
            var u = e.getUpdate();
            String key =
                u.getPts() != 0
                    ? "pts:" + u.getPts()
                    : "entry:" + u.getMessage().getConversationId() + ":" + u.getMessage().getSeq();
            livePts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            long now = System.nanoTime();
            lastLiveAt.set(now);
            liveAt.add(now);
          }
        });
    connection.onStateChange(
        s -> {
          if (s == State.READY) readyAt.add(System.nanoTime());
        });
  }

  /** Connects and waits for the first catch-up. */
  static ClusterDevice online(ParleyClient client, String name, Credentials credentials) {
    ClusterDevice d = new ClusterDevice(client, name, credentials);
    d.connection.start().awaitState(State.READY, WAIT);
    d.messenger.awaitSynced(WAIT);
    return d;
  }

  long userId() {
    return credentials.userId();
  }

  long sessionId() {
    return credentials.sessionId();
  }

  /** System.nanoTime() of the first READY after {@code nanoTime}, or -1. */
  long readyAfter(long nanoTime) {
    synchronized (readyAt) {
      return readyAt.stream().filter(t -> t > nanoTime).findFirst().orElse(-1L);
    }
  }

  /** System.nanoTime() of the last live update event (0: none yet). */
  long lastLiveAt() {
    return lastLiveAt.get();
  }

  /** Whether a live update event arrived after {@code nanoTime}. */
  boolean liveAfter(long nanoTime) {
    return lastLiveAt.get() > nanoTime;
  }

  /** System.nanoTime() of the first live update event after {@code nanoTime}, or -1. */
  long firstLiveAfter(long nanoTime) {
    synchronized (liveAt) {
      for (long t : liveAt) if (t > nanoTime) return t;
      return -1;
    }
  }

  /**
   * The longest stretch between {@code from} and {@code to} (System.nanoTime() values) without a
   * live update event, in ms, the stretches from {@code from} to the first event and from the last
   * to {@code to} included.
   */
  long longestLiveGapMillis(long from, long to) {
    long gap = 0;
    long previous = from;
    synchronized (liveAt) {
      for (long t : liveAt) {
        if (t <= from) continue;
        if (t > to) break;
        gap = Math.max(gap, t - previous);
        previous = t;
      }
    }
    return java.time.Duration.ofNanos(Math.max(gap, to - previous)).toMillis();
  }

  /**
   * Live update events whose pts this device had already received live (replays it had to drop).
   */
  int liveRepeats() {
    return livePts.values().stream().mapToInt(n -> n.get() - 1).sum();
  }

  int liveUpdates() {
    return livePts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /**
   * Announcements of one (conversation, seq) beyond the first: what the user would have seen twice.
   */
  List<String> announcedMoreThanOnce() {
    return announced.entrySet().stream()
        .filter(e -> e.getValue().get() > 1)
        .map(e -> e.getKey() + "×" + e.getValue())
        .sorted()
        .toList();
  }

  /**
   * Waits until the store holds exactly these logs (compared by {@link ConversationLogs#key}); on
   * timeout, shows the difference.
   */
  void awaitExactly(Map<Long, List<Message>> logs, Duration timeout) {
    try {
      messenger.awaitCondition(
          () ->
              logs.entrySet().stream()
                  .allMatch(
                      l ->
                          ConversationLogs.keys(store.messages(l.getKey()))
                              .equals(ConversationLogs.keys(l.getValue()))),
          timeout);
    } catch (IllegalStateException e) {
      for (Map.Entry<Long, List<Message>> log : logs.entrySet()) {
        assertThat(ConversationLogs.keys(store.messages(log.getKey())))
            .as("%s: conversation %d (%s)", name, log.getKey(), e.getMessage())
            .containsExactlyElementsOf(ConversationLogs.keys(log.getValue()));
      }
      throw e;
    }
  }

  /**
   * onMessage announced every entry of {@code log} exactly once, in seq order, and nothing else of
   * the conversation. Listeners run after the store is written, so this waits for them first.
   */
  void assertAnnouncedOnceInOrder(long conversationId, List<Message> log) {
    messenger.awaitCondition(
        () -> log.stream().allMatch(m -> announced.containsKey(conversationId + ":" + m.getSeq())),
        WAIT);
    List<Long> seqs = log.stream().map(Message::getSeq).toList();
    List<Long> got;
    List<Long> o = order.getOrDefault(conversationId, List.of());
    synchronized (o) {
      got = List.copyOf(o);
    }
    assertThat(got)
        .as("%s: seqs announced by onMessage for conversation %d", name, conversationId)
        .containsExactlyElementsOf(seqs);
  }

  @Override
  public void close() {
    messenger.close();
    connection.close();
  }

  @Override
  public String toString() {
    return name + " " + messenger;
  }
}
