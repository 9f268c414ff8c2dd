package dev.parley.msg.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.MsgHarness;
import dev.parley.msg.store.SearchDocs.Filter;
import dev.parley.msg.store.SearchDocs.Position;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The candidate query of the PostgreSQL search index (design.md 14.3) against a brute-force answer
 * over the same rows: PostgreSQL picks a different plan for a common token (walk newest first), a
 * rare one (the GIN posting list) and a small history (the primary key), and every plan must give
 * the same pages. The rows are written straight into the tables (search_docs without its entries:
 * what is under test is the query, not the indexer).
 */
class SearchDocsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static final int KEY = 1;
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  /** A busy user: 40 whole conversations, 5 joined late, 3 left, 1 both. */
  static final long BUSY = 1;

  /** Chats of a user whose history is older than everybody else's rows. */
  static final long QUIET = 3;

  /** Left more groups than the query writes windows for. */
  static final long LEAVER = 4;

  static MsgHarness msg;
  static Jdbi jdbi;
  static final SearchDocs docs = new SearchDocs();

  /** The same query with the planner's choice for every history, however small. */
  static final SearchDocs planned = new SearchDocs(0);

  /** Every row written, for the brute-force answer. */
  static final List<SearchDocs.Doc> rows = new ArrayList<>();

  static final Map<Long, List<Members.Range>> ranges = new HashMap<>();

  @BeforeAll
  static void load() {
    msg = new MsgHarness(postgres, c -> c); // runs the migrations
    jdbi = postgres.database().jdbi();
    SplittableRandom random = new SplittableRandom(7);
    jdbi.useHandle(
        h -> {
          // search_docs rows without their entries (no foreign key ties them: V15).
          long tick = 0;
          // Everybody's traffic, newest: BUSY's 49 chats among 300 others, interleaved.
          for (int i = 0; i < 30_000; i++) {
            long c = random.nextInt(10) == 0 ? 1 + random.nextInt(49) : 1000 + random.nextInt(300);
            doc(h, c, T0.plusSeconds(100_000 + tick++), random);
          }
          // QUIET's 5 chats, all older than the rest.
          for (int i = 0; i < 1_000; i++)
            doc(h, 500 + random.nextInt(5), T0.plusSeconds(i), random);
          // LEAVER's 80 left groups, in the middle.
          for (int i = 0; i < 4_000; i++)
            doc(h, 600 + random.nextInt(80), T0.plusSeconds(50_000 + i), random);
          flush(h);
          for (long c = 1; c <= 40; c++) member(h, BUSY, c, 1, null);
          for (long c = 41; c <= 45; c++) member(h, BUSY, c, 50, null);
          for (long c = 46; c <= 48; c++) member(h, BUSY, c, 1, 30L);
          member(h, BUSY, 49, 20, 60L);
          for (long c = 1000; c < 1300; c++) member(h, 2, c, 1, null);
          for (long c = 500; c < 505; c++) member(h, QUIET, c, 1, null);
          for (long c = 600; c < 680; c++) member(h, LEAVER, c, 1 + c % 7, 10 + c % 40);
          h.execute("ANALYZE msg.search_docs");
          h.execute("ANALYZE msg.members");
        });
  }

  @AfterAll
  static void close() {
    msg.close();
  }

  @Test
  void everyPlanGivesTheBruteForcePages_forCommonMediumRareAndPairedTokens() {
    long[][] queries = {{0}, {3}, {40}, {250}, {0, 40}, {1, 2, 3}, {299}};
    for (long user : new long[] {BUSY, QUIET})
      for (long[] tokens : queries) {
        assertPagesMatch(user, tokens, none(), d -> true);
      }
  }

  @Test
  void filtersAndOneConversationGiveTheBruteForcePages() {
    Filter sender = new Filter(0, 7, null, null, List.of(), false);
    assertPagesMatch(BUSY, new long[] {0}, sender, d -> d.senderId() == 7);
    Instant from = T0.plusSeconds(110_000);
    Instant to = T0.plusSeconds(120_000);
    Filter range = new Filter(0, 0, from, to, List.of(), false);
    assertPagesMatch(
        BUSY, new long[] {3}, range, d -> !d.sentAt().isBefore(from) && d.sentAt().isBefore(to));
    Filter inChat = new Filter(42, 0, null, null, List.of(), false);
    assertPagesMatch(BUSY, new long[] {0}, inChat, d -> d.conversationId() == 42);
    Filter images = new Filter(0, 0, null, null, List.of(EntryKind.IMAGE), true);
    assertPagesMatch(BUSY, new long[] {1}, images, d -> d.kind() == EntryKind.IMAGE && d.hasLink());
    // Not a member: nothing, whatever is in the conversation.
    Filter stranger = new Filter(1000, 0, null, null, List.of(), false);
    assertThat(candidates(BUSY, new long[] {0}, stranger, null, 20)).isEmpty();
  }

  @Test
  void pastTheWindowLimitTheQueryStillCoversEveryVisibleRow_andTheServiceDropsTheRest() {
    // 80 partial windows: 64 are written into the statement, the rest are left to MessageSearch.
    List<Position> all = candidates(LEAVER, new long[] {0}, none(), null, 10_000);
    List<Position> expected = expected(LEAVER, new long[] {0}, d -> true);
    assertThat(all).containsAll(expected);
    assertThat(all)
        .allSatisfy(p -> assertThat(p.conversationId()).isBetween(600L, 679L))
        .isSortedAccordingTo(NEWEST_FIRST);
    assertThat(all.size()).isGreaterThan(expected.size());
  }

  @Test
  void aConversationsLastActivityNeverMovesBack_soNoEntryIsNewerThanTheSearchBound() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long conversation =
        msg.messages(alice).sendMessage(text(bob, "before the clock step")).getConversationId();
    msg.clockOffsetMs.set(-Duration.ofHours(1).toMillis());
    try {
      msg.messages(bob).sendMessage(text(alice, "after the clock step"));
    } finally {
      msg.clockOffsetMs.set(0);
    }
    jdbi.useHandle(
        h ->
            assertThat(
                    h.createQuery(
                            "SELECT bool_and(e.created_at <= c.last_activity_at) FROM msg.entries e "
                                + "JOIN msg.conversations c ON c.conversation_id = e.conversation_id "
                                + "WHERE e.conversation_id = :c")
                        .bind("c", conversation)
                        .mapTo(Boolean.class)
                        .one())
                .isTrue());
  }

  // ---------------------------------------------------------------------------------------------

  private static final Comparator<Position> NEWEST_FIRST =
      Comparator.comparing(Position::sentAt)
          .thenComparingLong(Position::conversationId)
          .thenComparingLong(Position::seq)
          .reversed();

  private static void assertPagesMatch(
      long user, long[] tokens, Filter filter, Predicate<SearchDocs.Doc> also) {
    List<Position> expected =
        expected(user, tokens, also).stream()
            .filter(
                p -> filter.conversationId() == 0 || p.conversationId() == filter.conversationId())
            .toList();
    List<Position> got = new ArrayList<>();
    Position after = null;
    for (int page = 0; page < 6; page++) {
      List<Position> batch = candidates(user, tokens, filter, after, 20);
      got.addAll(batch);
      if (batch.size() < 20) break;
      after = batch.get(batch.size() - 1);
    }
    assertThat(got)
        .as("user %d, tokens %s", user, java.util.Arrays.toString(tokens))
        .isEqualTo(expected.subList(0, Math.min(expected.size(), got.size())));
    assertThat(got.size()).isEqualTo(Math.min(expected.size(), 120));
  }

  private static List<Position> candidates(
      long user, long[] tokens, Filter filter, @Nullable Position after, int limit) {
    return jdbi.withHandle(
        h -> docs.candidates(h, user, Map.of(KEY, tokens), filter, after, limit));
  }

  /** Brute force: the user's rows inside their windows holding every token, newest first. */
  private static List<Position> expected(long user, long[] tokens, Predicate<SearchDocs.Doc> also) {
    List<Members.Range> mine = ranges.getOrDefault(user, List.of());
    return rows.stream()
        .filter(
            d ->
                mine.stream()
                    .anyMatch(
                        r ->
                            r.conversationId() == d.conversationId()
                                && d.seq() >= r.firstVisibleSeq()
                                && d.seq() <= r.lastVisibleSeq()))
        .filter(d -> holdsAll(d.tokens(), tokens))
        .filter(also)
        .map(d -> new Position(d.sentAt(), d.conversationId(), d.seq()))
        .sorted(NEWEST_FIRST)
        .toList();
  }

  private static boolean holdsAll(long[] have, long[] wanted) {
    for (long w : wanted) {
      boolean found = false;
      for (long t : have) found |= t == w;
      if (!found) return false;
    }
    return true;
  }

  private static SendMessageRequest text(long to, String text) {
    return SendMessageRequest.newBuilder()
        .setUserId(to)
        .setClientMsgId("m" + System.nanoTime())
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  private static Filter none() {
    return new Filter(0, 0, null, null, List.of(), false);
  }

  private static final Map<Long, Long> heads = new HashMap<>();
  private static final Map<Long, Instant> newest = new HashMap<>();
  private static final List<SearchDocs.Doc> pending = new ArrayList<>();

  private static void doc(Handle h, long conversation, Instant at, SplittableRandom random) {
    long seq = heads.merge(conversation, 1L, Long::sum);
    newest.merge(conversation, at, (a, b) -> a.isAfter(b) ? a : b);
    // Skewed like words: token 0 in about half the rows, token 299 in a handful.
    int n = 3 + random.nextInt(10);
    long[] tokens =
        java.util.stream.LongStream.generate(() -> (long) (300 * Math.pow(random.nextDouble(), 3)))
            .limit(n)
            .distinct()
            .toArray();
    EntryKind kind = random.nextInt(10) == 0 ? EntryKind.IMAGE : EntryKind.TEXT;
    SearchDocs.Doc d =
        new SearchDocs.Doc(
            conversation, seq, random.nextInt(20), at, kind, random.nextInt(4) == 0, KEY, tokens);
    rows.add(d);
    pending.add(d);
    if (pending.size() == 2_000) flush(h);
  }

  private static void flush(Handle h) {
    docs.upsert(h, pending);
    pending.clear();
  }

  private static void member(
      Handle h, long user, long conversation, long first, @Nullable Long last) {
    Instant active = newest.getOrDefault(conversation, T0);
    h.execute(
        "INSERT INTO msg.conversations (conversation_id, type, title, owner_id, last_seq, member_count, created_at, last_activity_at) "
            + "VALUES (?, 2, 'g', ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
        conversation,
        user,
        heads.getOrDefault(conversation, 0L),
        Times.db(T0),
        Times.db(active));
    h.execute(
        "INSERT INTO msg.members (conversation_id, user_id, role, first_visible_seq, last_visible_seq, joined_at, left_at) "
            + "VALUES (?, ?, 1, ?, ?, ?, ?)",
        conversation,
        user,
        first,
        last,
        Times.db(T0),
        last == null ? null : Times.db(active));
    ranges
        .computeIfAbsent(user, u -> new ArrayList<>())
        .add(new Members.Range(conversation, first, last == null ? Long.MAX_VALUE : last));
  }
}
