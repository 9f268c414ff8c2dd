-- Edits, replies and mentions (design.md 13).
-- An edited message keeps its row: the content is re-encrypted with the new version and edited_at is
-- set. EDIT entries (kind 12) point at their target through ref_seq, like recalls; a reply's ref_seq
-- names the message it answers.
ALTER TABLE msg.entries ADD COLUMN edited_at timestamptz;
ALTER TABLE msg.entries DROP CONSTRAINT entries_kind;
ALTER TABLE msg.entries ADD CONSTRAINT entries_kind CHECK (kind IN (1, 2, 3, 10, 11, 12));

-- One row per (conversation, mentioned user, message); user_id 0 is @all. Written in the log
-- writer's batch transaction with the message; an edit replaces its message's rows. Unread mentions
-- are counted from these rows against the reader's read_seq, never stored as a number.
CREATE TABLE msg.mentions (
  conversation_id bigint NOT NULL,
  user_id bigint NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (conversation_id, user_id, seq)
);

-- The replies and the edits of a message, found when it is edited or recalled (quotes follow it,
-- earlier edits lose their content).
CREATE INDEX entries_refs ON msg.entries (conversation_id, ref_seq) WHERE ref_seq IS NOT NULL AND kind IN (1, 2, 3, 12);
