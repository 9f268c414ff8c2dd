package dev.parley.msg.store;

import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.store.Entries.ClientKey;
import dev.parley.msg.store.Relations.Pair;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The log writer's two round trips before its commit (design.md 8.2, 8.10): {@link #lockAndLoad}
 * and {@link #write} each call one function of migration V4, which runs the batch's statements
 * inside the database. On a small machine every round trip costs both processes a wake-up; a lone
 * message used to wait for ten of them.
 *
 * <p><b>Snapshots.</b> {@code msg.lock_and_load} takes the conversation locks in one statement and
 * reads everything else in a later one: under READ COMMITTED each statement of the function sees
 * what was committed before it began, so the reads see what the previous holders of the locks
 * wrote.
 *
 * <p><b>Lock order</b> inside {@code msg.write_batch}: entries are new rows and the conversation
 * rows are held already; the member upsert takes member rows (ascending), then the feed heads are
 * moved in ascending user id: the global order of design.md 8.2.
 */
public final class BatchStatements {
  private final ContentCipher cipher;

  public BatchStatements(ContentCipher cipher) {
    this.cipher = cipher;
  }

  /** What {@link #lockAndLoad} locked and found. */
  public record Loaded(
      Map<Long, ConversationRow> conversations,
      List<MemberRow> members,
      Map<ClientKey, Entry> earlier,
      Set<Pair> blocks,
      Set<Pair> friendships) {}

  /**
   * A send into an existing conversation: if it is a direct one, the relations with the other
   * member matter.
   */
  public record Send(long conversationId, long senderId) {}

  /**
   * Locks the conversations (ascending id) and then loads: their rows; their members and the rows
   * of the named users; the entries stored earlier with the given send keys (without content:
   * answers need only their ids, seqs and times); the blocks among {@code blockPairs} and, for each
   * send into a direct conversation, between its sender and the other member, either way; the
   * friendships among {@code friendPairs} and, when {@code withFriendships}, of each direct sender
   * with their peer.
   */
  public Loaded lockAndLoad(
      Handle h,
      long[] conversationIds,
      long[] namedUsers,
      List<ClientKey> keys,
      Collection<Pair> blockPairs,
      Collection<Pair> friendPairs,
      List<Send> sends,
      boolean withFriendships) {
    Long[] kc = new Long[keys.size()];
    Long[] ks = new Long[keys.size()];
    String[] kid = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      kc[i] = keys.get(i).conversationId();
      ks[i] = keys.get(i).senderId();
      kid[i] = keys.get(i).clientMsgId();
    }
    return h.createQuery(
            "SELECT * FROM msg.lock_and_load(:cs, :named, :kc, :ks, :kid, :ba, :bb, :fa, :fb, :dc, :da, :friends)")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("named", Long.class, (Object[]) Times.boxed(namedUsers))
        .bindArray("kc", Long.class, (Object[]) kc)
        .bindArray("ks", Long.class, (Object[]) ks)
        .bindArray("kid", String.class, (Object[]) kid)
        .bindArray("ba", Long.class, (Object[]) users(blockPairs, true))
        .bindArray("bb", Long.class, (Object[]) users(blockPairs, false))
        .bindArray("fa", Long.class, (Object[]) users(friendPairs, true))
        .bindArray("fb", Long.class, (Object[]) users(friendPairs, false))
        .bindArray("dc", Long.class, sends.stream().map(Send::conversationId).toArray())
        .bindArray("da", Long.class, sends.stream().map(Send::senderId).toArray())
        .bind("friends", withFriendships)
        .map((rs, ctx) -> loaded(rs))
        .one();
  }

  /**
   * Inserts the entries (content encrypted here), writes the conversation rows, upserts the member
   * rows and appends the feed items; returns each item's pts, in input order. The read marker only
   * moves forward (greatest), because mark_read moves it without the conversation lock. Then, if
   * the batch ended memberships, their former views.
   */
  public long[] write(
      Handle h,
      List<Entry> entries,
      List<ConversationRow> conversations,
      List<MemberRow> members,
      List<FeedItem> items,
      List<FormerView> formerViews,
      Instant at) {
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
      byte[] sealed =
          e.content() == null
              ? null
              : cipher.encrypt(
                  ContentCodec.encode(e.content(), e.extras()), e.conversationId(), e.seq());
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
    Feed.Items feed = Feed.Items.of(items);
    long[] pts = new long[items.size()];
    int[] next = {0};
    h.createQuery(
            "SELECT item_pts FROM msg.write_batch(:ec, :es, :eid, :esender, :ecmid, :ekind, :ekey, :econtent, :eref, :eat, "
                + ":cid, :cseq, :cact, :ctitle, :cowner, :ccount, :cgone, :mc, :mu, :mrole, :mfirst, :mlast, :mread, :mjoined, :mleft, "
                + ":fu, :fkind, :fconv, :fseq, :fother, :fpayload, :fat)")
        .bindArray("ec", Long.class, (Object[]) ec)
        .bindArray("es", Long.class, (Object[]) es)
        .bindArray("eid", Long.class, (Object[]) eid)
        .bindArray("esender", Long.class, (Object[]) esender)
        .bindArray("ecmid", String.class, (Object[]) ecmid)
        .bindArray("ekind", Short.class, (Object[]) ekind)
        .bindArray("ekey", Short.class, (Object[]) ekey)
        .bind("econtent", bytea(h, econtent))
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
        .bindArray("fu", Long.class, (Object[]) feed.users())
        .bindArray("fkind", Short.class, (Object[]) feed.kinds())
        .bindArray("fconv", Long.class, (Object[]) feed.conversations())
        .bindArray("fseq", Long.class, (Object[]) feed.seqs())
        .bindArray("fother", Long.class, (Object[]) feed.others())
        .bind("fpayload", bytea(h, feed.payloads()))
        .bind("fat", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
        .mapTo(Long.class)
        .forEach(p -> pts[next[0]++] = p);
    if (!formerViews.isEmpty()) writeFormerViews(h, formerViews);
    return pts;
  }

  /**
   * Upserts the views of the memberships this batch ended, in order (a member who came back and
   * left again in one batch keeps the later view). A round trip of its own, paid only by batches
   * that end memberships; it takes no lock that anyone else waits for (nobody else writes the
   * table).
   */
  private static void writeFormerViews(Handle h, List<FormerView> views) {
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO msg.former_views (conversation_id, user_id, seq, title, member_count, disbanded, member_ids, member_roles, "
                + "member_first_seqs, member_read_seqs, member_joined_micros, member_current) "
                + "VALUES (:c, :u, :seq, :title, :n, :gone, :ids, :roles, :firsts, :reads, :joined, :current) "
                + "ON CONFLICT (conversation_id, user_id) DO UPDATE SET seq = excluded.seq, title = excluded.title, "
                + "member_count = excluded.member_count, disbanded = excluded.disbanded, member_ids = excluded.member_ids, "
                + "member_roles = excluded.member_roles, member_first_seqs = excluded.member_first_seqs, "
                + "member_read_seqs = excluded.member_read_seqs, member_joined_micros = excluded.member_joined_micros, "
                + "member_current = excluded.member_current");
    for (FormerView v : views) {
      List<FormerView.Seat> seats = v.members();
      batch
          .bind("c", v.conversationId())
          .bind("u", v.userId())
          .bind("seq", v.seq())
          .bind("title", v.title())
          .bind("n", v.memberCount())
          .bind("gone", v.disbanded())
          .bindArray("ids", Long.class, seats.stream().map(FormerView.Seat::userId).toArray())
          .bindArray("roles", Short.class, seats.stream().map(s -> (short) s.role()).toArray())
          .bindArray(
              "firsts", Long.class, seats.stream().map(FormerView.Seat::firstVisibleSeq).toArray())
          .bindArray("reads", Long.class, seats.stream().map(FormerView.Seat::readSeq).toArray())
          .bindArray(
              "joined", Long.class, seats.stream().map(s -> Times.micros(s.joinedAt())).toArray())
          .bindArray(
              "current", Boolean.class, seats.stream().map(FormerView.Seat::current).toArray())
          .add();
    }
    batch.execute();
  }

  /**
   * A bytea[] argument (Jdbi has no array type for byte[] elements; the driver makes one from
   * byte[][]).
   */
  static Argument bytea(Handle h, byte[][] values) {
    Array array;
    try {
      array = h.getConnection().createArrayOf("bytea", values);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot make a bytea[]", e);
    }
    return (position, statement, context) -> statement.setArray(position, array);
  }

  private static Long[] users(Collection<Pair> pairs, boolean first) {
    Long[] out = new Long[pairs.size()];
    int i = 0;
    for (Pair p : pairs) out[i++] = first ? p.user() : p.other();
    return out;
  }

  private static Loaded loaded(ResultSet rs) throws SQLException {
    Map<Long, ConversationRow> conversations = new HashMap<>();
    Long[] cid = longs(rs, "c_id");
    Short[] ctype = shorts(rs, "c_type");
    String[] ctitle = strings(rs, "c_title");
    Long[] cowner = longs(rs, "c_owner");
    Long[] cseq = longs(rs, "c_seq");
    Integer[] cmembers = ints(rs, "c_members");
    Long[] ccreated = longs(rs, "c_created");
    Long[] cactivity = longs(rs, "c_activity");
    Long[] cgone = longs(rs, "c_disbanded");
    for (int i = 0; i < cid.length; i++) {
      conversations.put(
          cid[i],
          new ConversationRow(
              cid[i],
              ctype[i],
              ctitle[i],
              cowner[i] == null ? 0 : cowner[i],
              cseq[i],
              cmembers[i],
              Objects.requireNonNull(Times.instant(ccreated[i])),
              Objects.requireNonNull(Times.instant(cactivity[i])),
              Times.instant(cgone[i])));
    }
    List<MemberRow> members = new ArrayList<>();
    Long[] mc = longs(rs, "m_conv");
    Long[] mu = longs(rs, "m_user");
    Short[] mrole = shorts(rs, "m_role");
    Long[] mfirst = longs(rs, "m_first");
    Long[] mlast = longs(rs, "m_last");
    Long[] mread = longs(rs, "m_read");
    Long[] mjoined = longs(rs, "m_joined");
    Long[] mleft = longs(rs, "m_left");
    for (int i = 0; i < mc.length; i++) {
      members.add(
          new MemberRow(
              mc[i],
              mu[i],
              mrole[i],
              mfirst[i],
              mlast[i] == null ? 0 : mlast[i],
              mread[i],
              Objects.requireNonNull(Times.instant(mjoined[i])),
              Times.instant(mleft[i])));
    }
    Map<ClientKey, Entry> earlier = new HashMap<>();
    Long[] dc = longs(rs, "d_conv");
    Long[] ds = longs(rs, "d_seq");
    Long[] did = longs(rs, "d_id");
    Long[] dsender = longs(rs, "d_sender");
    String[] dcmid = strings(rs, "d_cmid");
    Short[] dkind = shorts(rs, "d_kind");
    Long[] dref = longs(rs, "d_ref");
    Long[] dcreated = longs(rs, "d_created");
    Long[] drecalled = longs(rs, "d_recalled");
    for (int i = 0; i < dc.length; i++) {
      Entry e =
          new Entry(
              dc[i],
              ds[i],
              did[i],
              dsender[i],
              dcmid[i],
              EntryKind.of(dkind[i]),
              null,
              dref[i] == null ? 0 : dref[i],
              Objects.requireNonNull(Times.instant(dcreated[i])),
              Times.instant(drecalled[i]));
      earlier.put(
          new ClientKey(e.conversationId(), e.senderId(), Objects.requireNonNull(e.clientMsgId())),
          e);
    }
    return new Loaded(
        conversations,
        members,
        earlier,
        pairs(longs(rs, "b_user"), longs(rs, "b_other")),
        pairs(longs(rs, "f_user"), longs(rs, "f_other")));
  }

  private static Set<Pair> pairs(Long[] as, Long[] bs) {
    Set<Pair> out = new HashSet<>();
    for (int i = 0; i < as.length; i++) out.add(new Pair(as[i], bs[i]));
    return out;
  }

  private static Long[] longs(ResultSet rs, String column) throws SQLException {
    Array a = rs.getArray(column);
    return a == null ? new Long[0] : (Long[]) a.getArray();
  }

  private static Integer[] ints(ResultSet rs, String column) throws SQLException {
    Array a = rs.getArray(column);
    return a == null ? new Integer[0] : (Integer[]) a.getArray();
  }

  private static Short[] shorts(ResultSet rs, String column) throws SQLException {
    Array a = rs.getArray(column);
    if (a == null) return new Short[0];
    Object v = a.getArray();
    if (v instanceof Short[] s) return s;
    Integer[] ints = (Integer[]) v;
    Short[] out = new Short[ints.length];
    for (int i = 0; i < ints.length; i++) out[i] = ints[i] == null ? null : ints[i].shortValue();
    return out;
  }

  private static String[] strings(ResultSet rs, String column) throws SQLException {
    Array a = rs.getArray(column);
    return a == null ? new String[0] : (String[]) a.getArray();
  }
}
