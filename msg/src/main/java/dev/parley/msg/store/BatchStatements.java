package dev.parley.msg.store;

import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.store.Entries.ClientKey;
import dev.parley.msg.store.Relations.Pair;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The log writer's reads and writes (design.md 8.2), each phase one round trip whatever the batch
 * holds: after the conversation locks, one statement loads everything the decisions need; one writes
 * entries, conversation rows and member rows (then Feed.append, one more). Fewer round trips per
 * batch is most of what a lone message costs besides the WAL flush (design.md 8.10).
 *
 * <p><b>Snapshots.</b> {@link #load} must run after the locks are held, as its own statement: under
 * READ COMMITTED a statement sees everything committed before it began, so it sees what the previous
 * holder of each lock wrote. (A statement that waited for a lock sees only the locked row's newest
 * version, not the rest of that transaction: which is why the lock is a statement of its own.)
 *
 * <p><b>Lock order</b> inside {@link #write}: its member upsert takes member rows (ascending), the only
 * locks it waits for; entries are new rows and the conversation rows are held already. Feed heads
 * come after, in Feed.append.
 */
public final class BatchStatements {
  private final ContentCipher cipher;

  public BatchStatements(ContentCipher cipher) {
    this.cipher = cipher;
  }

  /** What {@link #load} found. */
  public record Loaded(List<MemberRow> members, Map<ClientKey, Entry> earlier, Set<Pair> blocks, Set<Pair> friendships) {}

  /** A send into an existing direct conversation: the blocks (and friendship) with its other member matter. */
  public record DirectSend(long conversationId, long senderId) {}

  /**
   * In one statement: the members of the (locked) conversations and the rows of the named users; the
   * entries stored earlier with the given send keys (without content: answers need only their ids,
   * seqs and times); the blocks among {@code blockPairs} and, for each direct send, between its
   * sender and the conversation's other member, either way; the friendships of the direct sends'
   * senders with their peers and among {@code friendPairs}, when {@code withFriendships}.
   */
  public Loaded load(
      Handle h,
      long[] conversationIds,
      long[] namedUsers,
      List<ClientKey> keys,
      Collection<Pair> blockPairs,
      Collection<Pair> friendPairs,
      List<DirectSend> directSends,
      boolean withFriendships) {
    String sql =
        "WITH m AS (SELECT * FROM msg.members WHERE conversation_id = ANY(:cs) AND (left_at IS NULL OR user_id = ANY(:named))), "
            + "d AS (SELECT e.conversation_id, e.seq, e.message_id, e.sender_id, e.client_msg_id, e.kind, e.ref_seq, "
            + "  (extract(epoch FROM e.created_at) * 1000000)::bigint AS created, (extract(epoch FROM e.recalled_at) * 1000000)::bigint AS recalled "
            + "  FROM unnest(:kc, :ks, :kid) AS k(c, s, id) JOIN msg.entries e "
            + "  ON e.conversation_id = k.c AND e.sender_id = k.s AND e.client_msg_id = k.id), "
            + "p AS (SELECT k.a, o.user_id AS peer FROM unnest(:dc, :da) AS k(c, a) "
            + "  JOIN msg.members o ON o.conversation_id = k.c AND o.user_id <> k.a), "
            + "b AS (SELECT t.user_id, t.blocked_id FROM unnest(:ba, :bb) AS k(a, b) JOIN msg.blocks t ON t.user_id = k.a AND t.blocked_id = k.b "
            + "  UNION SELECT t.user_id, t.blocked_id FROM p JOIN msg.blocks t ON t.user_id = p.a AND t.blocked_id = p.peer "
            + "  UNION SELECT t.user_id, t.blocked_id FROM p JOIN msg.blocks t ON t.user_id = p.peer AND t.blocked_id = p.a), "
            + "f AS (SELECT t.user_id, t.friend_id FROM unnest(:fa, :fb) AS k(a, b) JOIN msg.friends t ON t.user_id = k.a AND t.friend_id = k.b "
            + "  UNION SELECT t.user_id, t.friend_id FROM p JOIN msg.friends t ON :friends AND t.user_id = p.a AND t.friend_id = p.peer) "
            + "SELECT "
            + "(SELECT array_agg(conversation_id ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg(user_id ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg(role ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg(first_visible_seq ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg(last_visible_seq ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg(read_seq ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg((extract(epoch FROM joined_at) * 1000000)::bigint ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg((extract(epoch FROM left_at) * 1000000)::bigint ORDER BY conversation_id, user_id) FROM m), "
            + "(SELECT array_agg(conversation_id) FROM d), (SELECT array_agg(seq) FROM d), (SELECT array_agg(message_id) FROM d), "
            + "(SELECT array_agg(sender_id) FROM d), (SELECT array_agg(client_msg_id) FROM d), (SELECT array_agg(kind) FROM d), "
            + "(SELECT array_agg(ref_seq) FROM d), (SELECT array_agg(created) FROM d), (SELECT array_agg(recalled) FROM d), "
            + "(SELECT array_agg(user_id) FROM b), (SELECT array_agg(blocked_id) FROM b), "
            + "(SELECT array_agg(user_id) FROM f), (SELECT array_agg(friend_id) FROM f)";
    Long[] kc = new Long[keys.size()];
    Long[] ks = new Long[keys.size()];
    String[] kid = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      kc[i] = keys.get(i).conversationId();
      ks[i] = keys.get(i).senderId();
      kid[i] = keys.get(i).clientMsgId();
    }
    return h.createQuery(sql)
        .bindArray("cs", Long.class, (Object[]) Members.boxed(conversationIds))
        .bindArray("named", Long.class, (Object[]) Members.boxed(namedUsers))
        .bindArray("kc", Long.class, (Object[]) kc)
        .bindArray("ks", Long.class, (Object[]) ks)
        .bindArray("kid", String.class, (Object[]) kid)
        .bindArray("ba", Long.class, (Object[]) users(blockPairs, true))
        .bindArray("bb", Long.class, (Object[]) users(blockPairs, false))
        .bindArray("fa", Long.class, (Object[]) users(friendPairs, true))
        .bindArray("fb", Long.class, (Object[]) users(friendPairs, false))
        .bindArray("dc", Long.class, directSends.stream().map(DirectSend::conversationId).toArray())
        .bindArray("da", Long.class, directSends.stream().map(DirectSend::senderId).toArray())
        .bind("friends", withFriendships)
        .map((rs, ctx) -> loaded(rs))
        .one();
  }

  /**
   * In one statement: inserts the entries (content encrypted here), writes the conversation rows and
   * upserts the member rows. The read marker only moves forward (greatest), because mark_read moves
   * it without the conversation lock.
   */
  public void write(Handle h, List<Entry> entries, List<ConversationRow> conversations, List<MemberRow> members) {
    int n = entries.size();
    Long[] ec = new Long[n];
    Long[] es = new Long[n];
    Long[] eid = new Long[n];
    Long[] esender = new Long[n];
    String[] ecmid = new String[n];
    Short[] ekind = new Short[n];
    Short[] ekey = new Short[n];
    byte[][] econtent = new byte[n][];
    Long[] eref = new Long[n];
    Long[] eat = new Long[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      byte[] sealed = e.content() == null ? null : cipher.encrypt(ContentCodec.encode(e.content()), e.conversationId(), e.seq());
      ec[i] = e.conversationId();
      es[i] = e.seq();
      eid[i] = e.messageId();
      esender[i] = e.senderId();
      ecmid[i] = e.clientMsgId();
      ekind[i] = e.kind().code;
      ekey[i] = sealed == null ? null : (short) cipher.activeKeyId();
      econtent[i] = sealed;
      eref[i] = e.refSeq() == 0 ? null : e.refSeq();
      eat[i] = Times.micros(e.createdAt());
    }
    int c = conversations.size();
    Long[] cid = new Long[c];
    Long[] cseq = new Long[c];
    Long[] cact = new Long[c];
    String[] ctitle = new String[c];
    Long[] cowner = new Long[c];
    Integer[] ccount = new Integer[c];
    Long[] cgone = new Long[c];
    for (int i = 0; i < c; i++) {
      ConversationRow r = conversations.get(i);
      cid[i] = r.conversationId();
      cseq[i] = r.lastSeq();
      cact[i] = Times.micros(r.lastActivityAt());
      ctitle[i] = r.title();
      cowner[i] = r.ownerId() == 0 ? null : r.ownerId();
      ccount[i] = r.memberCount();
      cgone[i] = Times.micros(r.disbandedAt());
    }
    int m = members.size();
    Long[] mc = new Long[m];
    Long[] mu = new Long[m];
    Short[] mrole = new Short[m];
    Long[] mfirst = new Long[m];
    Long[] mlast = new Long[m];
    Long[] mread = new Long[m];
    Long[] mjoined = new Long[m];
    Long[] mleft = new Long[m];
    for (int i = 0; i < m; i++) {
      MemberRow r = members.get(i);
      mc[i] = r.conversationId();
      mu[i] = r.userId();
      mrole[i] = (short) r.role();
      mfirst[i] = r.firstVisibleSeq();
      mlast[i] = r.active() ? null : r.lastVisibleSeq();
      mread[i] = r.readSeq();
      mjoined[i] = Times.micros(r.joinedAt());
      mleft[i] = Times.micros(r.leftAt());
    }
    Array contents;
    try {
      contents = h.getConnection().createArrayOf("bytea", econtent);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot make a bytea[] for the entries", e);
    }
    h.createUpdate(
            "WITH e AS (INSERT INTO msg.entries "
                + "(conversation_id, seq, message_id, sender_id, client_msg_id, kind, key_id, content, ref_seq, created_at, recalled_at) "
                + "SELECT c, s, id, snd, cmid, k, key, body, ref, " + Times.FROM_MICROS.formatted("t") + ", NULL "
                + "FROM unnest(:ec, :es, :eid, :esender, :ecmid, :ekind, :ekey, :econtent, :eref, :eat) AS v(c, s, id, snd, cmid, k, key, body, ref, t)), "
                + "c AS (UPDATE msg.conversations c SET last_seq = v.seq, last_activity_at = " + Times.FROM_MICROS.formatted("v.act")
                + ", title = v.title, owner_id = v.owner, member_count = v.n, disbanded_at = " + Times.FROM_MICROS.formatted("v.gone")
                + " FROM unnest(:cid, :cseq, :cact, :ctitle, :cowner, :ccount, :cgone) AS v(id, seq, act, title, owner, n, gone) "
                + "WHERE c.conversation_id = v.id) "
                + "INSERT INTO msg.members AS m (conversation_id, user_id, role, first_visible_seq, last_visible_seq, read_seq, joined_at, left_at) "
                + "SELECT c, u, r, f, l, rd, " + Times.FROM_MICROS.formatted("j") + ", " + Times.FROM_MICROS.formatted("lf") + " "
                + "FROM unnest(:mc, :mu, :mrole, :mfirst, :mlast, :mread, :mjoined, :mleft) AS v(c, u, r, f, l, rd, j, lf) ORDER BY c, u "
                + "ON CONFLICT (conversation_id, user_id) DO UPDATE SET role = excluded.role, "
                + "first_visible_seq = excluded.first_visible_seq, last_visible_seq = excluded.last_visible_seq, "
                + "read_seq = greatest(m.read_seq, excluded.read_seq), joined_at = excluded.joined_at, left_at = excluded.left_at")
        .bindArray("ec", Long.class, (Object[]) ec)
        .bindArray("es", Long.class, (Object[]) es)
        .bindArray("eid", Long.class, (Object[]) eid)
        .bindArray("esender", Long.class, (Object[]) esender)
        .bindArray("ecmid", String.class, (Object[]) ecmid)
        .bindArray("ekind", Short.class, (Object[]) ekind)
        .bindArray("ekey", Short.class, (Object[]) ekey)
        .bind("econtent", (org.jdbi.v3.core.argument.Argument) (position, statement, context) -> statement.setArray(position, contents))
        .bindArray("eref", Long.class, (Object[]) eref)
        .bindArray("eat", Long.class, (Object[]) eat)
        .bindArray("cid", Long.class, (Object[]) cid)
        .bindArray("cseq", Long.class, (Object[]) cseq)
        .bindArray("cact", Long.class, (Object[]) cact)
        .bindArray("ctitle", String.class, (Object[]) ctitle)
        .bindArray("cowner", Long.class, (Object[]) cowner)
        .bindArray("ccount", Integer.class, (Object[]) ccount)
        .bindArray("cgone", Long.class, (Object[]) cgone)
        .bindArray("mc", Long.class, (Object[]) mc)
        .bindArray("mu", Long.class, (Object[]) mu)
        .bindArray("mrole", Short.class, (Object[]) mrole)
        .bindArray("mfirst", Long.class, (Object[]) mfirst)
        .bindArray("mlast", Long.class, (Object[]) mlast)
        .bindArray("mread", Long.class, (Object[]) mread)
        .bindArray("mjoined", Long.class, (Object[]) mjoined)
        .bindArray("mleft", Long.class, (Object[]) mleft)
        .execute();
  }

  private static Long[] users(Collection<Pair> pairs, boolean first) {
    Long[] out = new Long[pairs.size()];
    int i = 0;
    for (Pair p : pairs) out[i++] = first ? p.user() : p.other();
    return out;
  }

  private static Loaded loaded(ResultSet rs) throws SQLException {
    List<MemberRow> members = new ArrayList<>();
    Long[] mc = longs(rs, 1);
    Long[] mu = longs(rs, 2);
    Short[] mrole = shorts(rs, 3);
    Long[] mfirst = longs(rs, 4);
    Long[] mlast = longs(rs, 5);
    Long[] mread = longs(rs, 6);
    Long[] mjoined = longs(rs, 7);
    Long[] mleft = longs(rs, 8);
    for (int i = 0; i < mc.length; i++) {
      members.add(
          new MemberRow(mc[i], mu[i], mrole[i], mfirst[i], mlast[i] == null ? 0 : mlast[i], mread[i], Times.instant(mjoined[i]),
              Times.instant(mleft[i])));
    }
    Map<ClientKey, Entry> earlier = new HashMap<>();
    Long[] dc = longs(rs, 9);
    Long[] ds = longs(rs, 10);
    Long[] did = longs(rs, 11);
    Long[] dsender = longs(rs, 12);
    String[] dcmid = strings(rs, 13);
    Short[] dkind = shorts(rs, 14);
    Long[] dref = longs(rs, 15);
    Long[] dcreated = longs(rs, 16);
    Long[] drecalled = longs(rs, 17);
    for (int i = 0; i < dc.length; i++) {
      Entry e =
          new Entry(dc[i], ds[i], did[i], dsender[i], dcmid[i], EntryKind.of(dkind[i]), null, dref[i] == null ? 0 : dref[i],
              Times.instant(dcreated[i]), Times.instant(drecalled[i]));
      earlier.put(new ClientKey(e.conversationId(), e.senderId(), e.clientMsgId()), e);
    }
    return new Loaded(members, earlier, pairs(longs(rs, 18), longs(rs, 19)), pairs(longs(rs, 20), longs(rs, 21)));
  }

  private static Set<Pair> pairs(Long[] as, Long[] bs) {
    Set<Pair> out = new HashSet<>();
    for (int i = 0; i < as.length; i++) out.add(new Pair(as[i], bs[i]));
    return out;
  }

  private static Long[] longs(ResultSet rs, int column) throws SQLException {
    Array a = rs.getArray(column);
    return a == null ? new Long[0] : (Long[]) a.getArray();
  }

  private static Short[] shorts(ResultSet rs, int column) throws SQLException {
    Array a = rs.getArray(column);
    if (a == null) return new Short[0];
    Object v = a.getArray();
    if (v instanceof Short[] s) return s;
    Integer[] ints = (Integer[]) v;
    Short[] out = new Short[ints.length];
    for (int i = 0; i < ints.length; i++) out[i] = ints[i] == null ? null : ints[i].shortValue();
    return out;
  }

  private static String[] strings(ResultSet rs, int column) throws SQLException {
    Array a = rs.getArray(column);
    return a == null ? new String[0] : (String[]) a.getArray();
  }
}
