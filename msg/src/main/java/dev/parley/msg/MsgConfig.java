package dev.parley.msg;

import dev.parley.msg.core.content.ReactionRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code msg} section of the configuration; see parley-defaults.yaml for each key.
 *
 * @param directChat {@code anyone} or {@code friends}: who may start and continue a one-to-one chat
 * @param contentKeys key id (1..32767) to base64 AES-256 key; empty: generated in the data
 *     directory
 * @param activeContentKey the key new rows are encrypted with; 0 = the highest configured id
 * @param sendWriters threads storing batches of sends (group commit); each uses one database
 *     connection
 * @param editWindow how long senders may edit their messages (design.md 13)
 * @param maxPinnedChats how many chats one user may pin (design.md 13.3)
 * @param maxPinnedMessages how many messages one conversation may have pinned (design.md 13.5)
 * @param reactions which emoji may be reactions, and how many (design.md 13.4)
 * @param presenceGrace how long after a user's last connection closed friends are told they went
 *     offline; a reconnect within it tells them nothing (design.md 13.2)
 * @param search message search: where the index lives, whether this process indexes (design.md 14)
 */
public record MsgConfig(
    String directChat,
    int maxGroupMembers,
    int maxTextLength,
    Duration recallWindow,
    Duration feedRetention,
    Duration historyRetention,
    Map<String, String> contentKeys,
    int activeContentKey,
    int sendWriters,
    Duration editWindow,
    int maxPinnedChats,
    int maxPinnedMessages,
    Reactions reactions,
    Duration presenceGrace,
    Search search) {

  /** The default presence grace period, for configurations written before it existed. */
  public static final Duration DEFAULT_PRESENCE_GRACE = Duration.ofSeconds(5);

  /** The default pin limit, for configurations written before it existed. */
  public static final int DEFAULT_MAX_PINNED_CHATS = 10;

  /** The default limit of pinned messages per conversation. */
  public static final int DEFAULT_MAX_PINNED_MESSAGES = 50;

  /**
   * @param allowed the allowed emoji, or the single word {@code any} (any one emoji)
   * @param maxPerUser emoji one user may set on one message
   * @param maxDistinct different emoji one message may carry
   */
  public record Reactions(List<String> allowed, int maxPerUser, int maxDistinct) {
    public static Reactions defaults() {
      return new Reactions(ReactionRules.DEFAULT_ALLOWED, 3, 20);
    }

    public ReactionRules rules() {
      return new ReactionRules(allowed, maxPerUser, maxDistinct);
    }
  }

  /**
   * @param backend {@code postgres} (keyed tokens in msg.search_docs, the default) or {@code
   *     opensearch}
   * @param concurrency message searches this process runs at once, others wait their turn
   *     (design.md 14.3); 0 (the default): half the cores, at least one
   * @param indexerEnabled whether this process runs the search indexer (design.md 14.4); off, no
   *     message becomes findable until it is turned on again (the indexer then catches up from its
   *     durable position). For measuring what indexing costs the send path, and for msg processes
   *     that should leave indexing to others.
   * @param indexerThreads threads of the indexer, when enabled (1 or more; design.md 14.4)
   * @param indexerYieldAbove the indexer gives way to sends while batches of sends waited this long
   *     for the log writer, on average over a window (design.md 14.4); 0: never
   * @param indexerYieldAtMost once the indexer has trailed this long while giving way, it indexes
   *     at full speed until it has caught up (design.md 14.4), so the index trails by about this
   *     much at most under any load
   * @param indexerGather how long an indexer thread lets wake-ups gather between passes (design.md
   *     14.4, "Passes gather"); 0: never, each pass starts as soon as there is work
   */
  public record Search(
      String backend,
      int concurrency,
      boolean indexerEnabled,
      int indexerThreads,
      Duration indexerYieldAbove,
      Duration indexerYieldAtMost,
      Duration indexerGather,
      OpenSearch opensearch) {
    public static final String POSTGRES = "postgres";
    public static final String OPENSEARCH = "opensearch";

    /**
     * Sends whose batches wait this long on average are saturating the machine: below it (normal
     * load) the indexer never gives way, so new messages stay findable within a second (design.md
     * 14.4).
     */
    public static final Duration DEFAULT_INDEXER_YIELD_ABOVE = Duration.ofMillis(50);

    /**
     * A peak may leave new messages unfindable for about a minute, and no longer (design.md 14.4).
     */
    public static final Duration DEFAULT_INDEXER_YIELD_AT_MOST = Duration.ofSeconds(60);

    /** Giving way for more than an hour would be an index that is off, not behind. */
    public static final Duration MAX_INDEXER_YIELD_AT_MOST = Duration.ofHours(1);

    /**
     * Long enough that a pass under a stream of sends carries hundreds of entries, short enough to
     * keep new messages findable well within a second (design.md 14.4).
     */
    public static final Duration DEFAULT_INDEXER_GATHER = Duration.ofMillis(200);

    /** A message must stay findable within a second of its ack (SEARCH-1). */
    public static final Duration MAX_INDEXER_GATHER = Duration.ofMillis(500);

    public Search {
      if (!POSTGRES.equals(backend) && !OPENSEARCH.equals(backend))
        throw new IllegalArgumentException(
            "msg.search.backend must be postgres or opensearch, not " + backend);
      if (concurrency < 0)
        throw new IllegalArgumentException(
            "msg.search.concurrency must not be negative (0: half the cores), not " + concurrency);
      if (indexerThreads < 1)
        throw new IllegalArgumentException(
            "msg.search.indexer-threads must be at least 1, not " + indexerThreads);
      if (indexerYieldAbove.isNegative())
        throw new IllegalArgumentException(
            "msg.search.indexer-yield-above must not be negative, not " + indexerYieldAbove);
      if (indexerYieldAtMost.compareTo(Duration.ofSeconds(1)) < 0
          || indexerYieldAtMost.compareTo(MAX_INDEXER_YIELD_AT_MOST) > 0)
        throw new IllegalArgumentException(
            "msg.search.indexer-yield-at-most must be between 1s and 1h, not "
                + indexerYieldAtMost);
      if (indexerGather.isNegative() || indexerGather.compareTo(MAX_INDEXER_GATHER) > 0)
        throw new IllegalArgumentException(
            "msg.search.indexer-gather must be between 0s and "
                + MAX_INDEXER_GATHER.toMillis()
                + "ms, not "
                + indexerGather);
    }

    public static Search defaults() {
      return new Search(
          POSTGRES,
          0,
          true,
          1,
          DEFAULT_INDEXER_YIELD_ABOVE,
          DEFAULT_INDEXER_YIELD_AT_MOST,
          DEFAULT_INDEXER_GATHER,
          new OpenSearch("http://localhost:9200", "parley-messages", "", ""));
    }

    /** Message searches this process runs at once. */
    public int runningSearches() {
      return concurrency > 0
          ? concurrency
          : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Indexer threads this process runs: none when the indexer is disabled. */
    public int runningIndexerThreads() {
      return indexerEnabled ? indexerThreads : 0;
    }

    public boolean openSearch() {
      return OPENSEARCH.equals(backend);
    }
  }

  /**
   * @param url {@code http(s)://host:port} of the cluster
   * @param index prefix of the index name (the mapping version is appended)
   * @param username basic authentication; empty: none
   */
  public record OpenSearch(String url, String index, String username, String password) {
    @Override
    public String toString() {
      return "OpenSearch[url=" + url + ", index=" + index + ", username=" + username + "]";
    }
  }

  public boolean friendsOnly() {
    return "friends".equalsIgnoreCase(directChat);
  }
}
