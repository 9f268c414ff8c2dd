-- The log writer's two round trips before its commit (docs/design.md 8.2, 8.10; Java side:
-- msg/store/BatchStatements). A batch's statements run inside these functions, one call each, instead
-- of one round trip per statement: on a small machine each round trip costs the two processes a
-- wake-up, which is most of what a lone message waits for besides the WAL flush.
--
-- Both run in the caller's transaction. In READ COMMITTED every statement of a VOLATILE function takes
-- a new snapshot, which the order below relies on.

-- Locks the batch's conversation rows (ascending id: the global lock order), then, in a later
-- statement whose snapshot therefore sees everything the previous holders of those locks committed,
-- loads what the batch decides on: the locked rows; the members of those conversations and the rows of
-- the named users; the entries stored earlier under the sends' keys (without content); the blocks
-- among (ba, bb) and, for each send (dc, da) that goes into an existing direct conversation, between its
-- sender and the other member either way; the friendships among (fa, fb) and, when `friends`, of the direct
-- senders with their peers. Everything comes back as one row of arrays (times in microseconds).
CREATE FUNCTION msg.lock_and_load(
    cs bigint[], named bigint[], kc bigint[], ks bigint[], kid text[], ba bigint[], bb bigint[],
    fa bigint[], fb bigint[], dc bigint[], da bigint[], friends boolean)
  RETURNS TABLE (
    c_id bigint[], c_type smallint[], c_title text[], c_owner bigint[], c_seq bigint[], c_members integer[],
    c_created bigint[], c_activity bigint[], c_disbanded bigint[],
    m_conv bigint[], m_user bigint[], m_role smallint[], m_first bigint[], m_last bigint[], m_read bigint[],
    m_joined bigint[], m_left bigint[],
    d_conv bigint[], d_seq bigint[], d_id bigint[], d_sender bigint[], d_cmid text[], d_kind smallint[],
    d_ref bigint[], d_created bigint[], d_recalled bigint[],
    b_user bigint[], b_other bigint[], f_user bigint[], f_other bigint[])
  LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  PERFORM 1 FROM msg.conversations WHERE conversation_id = ANY(cs) ORDER BY conversation_id FOR UPDATE;
  RETURN QUERY
  WITH c AS (SELECT * FROM msg.conversations WHERE conversation_id = ANY(cs)),
  m AS (SELECT * FROM msg.members WHERE conversation_id = ANY(cs) AND (left_at IS NULL OR user_id = ANY(named))),
  d AS (SELECT e.conversation_id, e.seq, e.message_id, e.sender_id, e.client_msg_id, e.kind, e.ref_seq,
          (extract(epoch FROM e.created_at) * 1000000)::bigint AS created,
          (extract(epoch FROM e.recalled_at) * 1000000)::bigint AS recalled
        FROM unnest(kc, ks, kid) AS k(c, s, id)
        JOIN msg.entries e ON e.conversation_id = k.c AND e.sender_id = k.s AND e.client_msg_id = k.id),
  p AS (SELECT k.a, o.user_id AS peer FROM unnest(dc, da) AS k(c, a)
        JOIN msg.conversations cv ON cv.conversation_id = k.c AND cv.type = 1
        JOIN msg.members o ON o.conversation_id = k.c AND o.user_id <> k.a),
  b AS (SELECT t.user_id, t.blocked_id FROM unnest(ba, bb) AS k(a, b2)
          JOIN msg.blocks t ON t.user_id = k.a AND t.blocked_id = k.b2
        UNION SELECT t.user_id, t.blocked_id FROM p JOIN msg.blocks t ON t.user_id = p.a AND t.blocked_id = p.peer
        UNION SELECT t.user_id, t.blocked_id FROM p JOIN msg.blocks t ON t.user_id = p.peer AND t.blocked_id = p.a),
  f AS (SELECT t.user_id, t.friend_id FROM unnest(fa, fb) AS k(a, b2)
          JOIN msg.friends t ON t.user_id = k.a AND t.friend_id = k.b2
        UNION SELECT t.user_id, t.friend_id FROM p JOIN msg.friends t ON friends AND t.user_id = p.a AND t.friend_id = p.peer)
  SELECT
    (SELECT array_agg(conversation_id ORDER BY conversation_id) FROM c),
    (SELECT array_agg(type ORDER BY conversation_id) FROM c),
    (SELECT array_agg(title ORDER BY conversation_id) FROM c),
    (SELECT array_agg(owner_id ORDER BY conversation_id) FROM c),
    (SELECT array_agg(last_seq ORDER BY conversation_id) FROM c),
    (SELECT array_agg(member_count ORDER BY conversation_id) FROM c),
    (SELECT array_agg((extract(epoch FROM created_at) * 1000000)::bigint ORDER BY conversation_id) FROM c),
    (SELECT array_agg((extract(epoch FROM last_activity_at) * 1000000)::bigint ORDER BY conversation_id) FROM c),
    (SELECT array_agg((extract(epoch FROM disbanded_at) * 1000000)::bigint ORDER BY conversation_id) FROM c),
    (SELECT array_agg(conversation_id ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg(user_id ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg(role ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg(first_visible_seq ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg(last_visible_seq ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg(read_seq ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg((extract(epoch FROM joined_at) * 1000000)::bigint ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg((extract(epoch FROM left_at) * 1000000)::bigint ORDER BY conversation_id, user_id) FROM m),
    (SELECT array_agg(conversation_id) FROM d), (SELECT array_agg(seq) FROM d), (SELECT array_agg(message_id) FROM d),
    (SELECT array_agg(sender_id) FROM d), (SELECT array_agg(client_msg_id) FROM d), (SELECT array_agg(kind) FROM d),
    (SELECT array_agg(ref_seq) FROM d), (SELECT array_agg(created) FROM d), (SELECT array_agg(recalled) FROM d),
    (SELECT array_agg(user_id) FROM b), (SELECT array_agg(blocked_id) FROM b),
    (SELECT array_agg(user_id) FROM f), (SELECT array_agg(friend_id) FROM f);
END $$;

-- Appends feed items (one per (fu[i], fkind[i], ...)): counts them per user, moves every head (rows
-- inserted, or on conflict locked and updated, in ascending user id: the lock order of the feed's
-- invariant, design.md 8.3), numbers each user's items from the old head in input order and stores
-- them. Returns each item's pts, in input order. Used by write_batch and by every other feed writer
-- (read markers, receipts, relation changes).
CREATE FUNCTION msg.append_feed(
    fu bigint[], fkind smallint[], fconv bigint[], fseq bigint[], fother bigint[], fpayload bytea[], fat timestamptz)
  RETURNS TABLE (item_pts bigint)
  LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH items AS (SELECT * FROM unnest(fu, fkind, fconv, fseq, fother, fpayload) WITH ORDINALITY
                   AS i(user_id, kind, conversation_id, seq, other_user_id, payload, ord)),
  counts AS (SELECT i.user_id, count(*) AS n FROM items i GROUP BY i.user_id),
  heads AS (INSERT INTO msg.feed_heads AS h (user_id, pts) SELECT c.user_id, c.n FROM counts c ORDER BY c.user_id
            ON CONFLICT (user_id) DO UPDATE SET pts = h.pts + excluded.pts RETURNING h.user_id, h.pts),
  numbered AS (SELECT i.*, hd.pts - c.n + row_number() OVER (PARTITION BY i.user_id ORDER BY i.ord) AS at_pts
               FROM items i JOIN heads hd ON hd.user_id = i.user_id JOIN counts c ON c.user_id = i.user_id),
  stored AS (INSERT INTO msg.feed (user_id, pts, kind, conversation_id, seq, other_user_id, payload, created_at)
             SELECT n.user_id, n.at_pts, n.kind, n.conversation_id, n.seq, n.other_user_id, n.payload, fat FROM numbered n)
  SELECT n.at_pts FROM numbered n ORDER BY n.ord;
END $$;

-- Writes what a batch decided, in the lock order: entries (new rows), the conversation rows (held
-- already), the member rows (ascending; the only locks it may wait for, against mark_read), then the
-- feeds: every head moved in ascending user id, each user's items numbered from the old head in input
-- order. Returns each feed item's pts, in input order. Times are microseconds since the epoch; the read
-- marker only moves forward (greatest), because mark_read moves it without the conversation lock.
CREATE FUNCTION msg.write_batch(
    ec bigint[], es bigint[], eid bigint[], esender bigint[], ecmid text[], ekind smallint[], ekey smallint[],
    econtent bytea[], eref bigint[], eat bigint[],
    cid bigint[], cseq bigint[], cact bigint[], ctitle text[], cowner bigint[], ccount integer[], cgone bigint[],
    mc bigint[], mu bigint[], mrole smallint[], mfirst bigint[], mlast bigint[], mread bigint[], mjoined bigint[], mleft bigint[],
    fu bigint[], fkind smallint[], fconv bigint[], fseq bigint[], fother bigint[], fpayload bytea[], fat timestamptz)
  RETURNS TABLE (item_pts bigint)
  LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  INSERT INTO msg.entries (conversation_id, seq, message_id, sender_id, client_msg_id, kind, key_id, content, ref_seq, created_at, recalled_at)
    SELECT v.c, v.s, v.id, v.snd, v.cmid, v.k, v.key, v.body, v.ref, 'epoch'::timestamptz + v.t * interval '1 microsecond', NULL
    FROM unnest(ec, es, eid, esender, ecmid, ekind, ekey, econtent, eref, eat) AS v(c, s, id, snd, cmid, k, key, body, ref, t);
  UPDATE msg.conversations c SET last_seq = v.seq, last_activity_at = 'epoch'::timestamptz + v.act * interval '1 microsecond',
      title = v.title, owner_id = v.owner, member_count = v.n, disbanded_at = 'epoch'::timestamptz + v.gone * interval '1 microsecond'
    FROM unnest(cid, cseq, cact, ctitle, cowner, ccount, cgone) AS v(id, seq, act, title, owner, n, gone)
    WHERE c.conversation_id = v.id;
  INSERT INTO msg.members AS m (conversation_id, user_id, role, first_visible_seq, last_visible_seq, read_seq, joined_at, left_at)
    SELECT v.c, v.u, v.r, v.f, v.l, v.rd, 'epoch'::timestamptz + v.j * interval '1 microsecond',
           'epoch'::timestamptz + v.lf * interval '1 microsecond'
    FROM unnest(mc, mu, mrole, mfirst, mlast, mread, mjoined, mleft) AS v(c, u, r, f, l, rd, j, lf) ORDER BY v.c, v.u
    ON CONFLICT (conversation_id, user_id) DO UPDATE SET role = excluded.role,
      first_visible_seq = excluded.first_visible_seq, last_visible_seq = excluded.last_visible_seq,
      read_seq = greatest(m.read_seq, excluded.read_seq), joined_at = excluded.joined_at, left_at = excluded.left_at;
  RETURN QUERY SELECT * FROM msg.append_feed(fu, fkind, fconv, fseq, fother, fpayload, fat);
END $$;
