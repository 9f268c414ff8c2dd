-- What a former member of a group sees of it: the group as it stood right after the entry that ended
-- their membership (design.md 8.7). Without it a former member's get_conversation(s) and
-- get_read_counts would show the group as it is now: later titles, members invited after them, reads
-- made after they left.
--
-- One row per (conversation, user), written in the transaction that ends the membership and replaced
-- when a returning member leaves again. The members are parallel arrays (at most the group's size
-- limit): those still members after the entry (member_current) and those who left with it; their
-- roles and read markers are as of that moment, and the former member's read counts are counted
-- from them.
CREATE TABLE msg.former_views (
  conversation_id      bigint    NOT NULL,
  user_id              bigint    NOT NULL,
  seq                  bigint    NOT NULL, -- the entry that ended the membership (members.last_visible_seq)
  title                text,
  member_count         integer   NOT NULL,
  disbanded            boolean   NOT NULL,
  member_ids           bigint[]  NOT NULL,
  member_roles         smallint[] NOT NULL,
  member_first_seqs    bigint[]  NOT NULL,
  member_read_seqs     bigint[]  NOT NULL,
  member_joined_micros bigint[]  NOT NULL,
  member_current       boolean[] NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);

-- Departures from before this table existed: rebuilt as well as the member rows allow. Who was a
-- member at the departure and the read markers (capped at it) are exact unless a member came back
-- since; titles and roles are the ones at the upgrade, as nothing older is kept outside the
-- (encrypted) log.
INSERT INTO msg.former_views (conversation_id, user_id, seq, title, member_count, disbanded, member_ids, member_roles,
    member_first_seqs, member_read_seqs, member_joined_micros, member_current)
SELECT f.conversation_id, f.user_id, f.last_visible_seq, c.title,
    count(*) FILTER (WHERE o.still),
    c.disbanded_at IS NOT NULL AND f.last_visible_seq = c.last_seq,
    array_agg(o.user_id ORDER BY o.user_id),
    array_agg(o.role ORDER BY o.user_id),
    array_agg(o.first_visible_seq ORDER BY o.user_id),
    array_agg(least(o.read_seq, f.last_visible_seq) ORDER BY o.user_id),
    array_agg((extract(epoch FROM o.joined_at) * 1000000)::bigint ORDER BY o.user_id),
    array_agg(o.still ORDER BY o.user_id)
FROM msg.members f
JOIN msg.conversations c ON c.conversation_id = f.conversation_id AND c.type = 2
CROSS JOIN LATERAL (
    SELECT m.*, (m.left_at IS NULL OR m.last_visible_seq > f.last_visible_seq) AS still
    FROM msg.members m
    WHERE m.conversation_id = f.conversation_id AND m.first_visible_seq <= f.last_visible_seq
      AND (m.left_at IS NULL OR m.last_visible_seq >= f.last_visible_seq)) o
WHERE f.left_at IS NOT NULL
GROUP BY f.conversation_id, f.user_id, f.last_visible_seq, c.title, c.disbanded_at, c.last_seq;
