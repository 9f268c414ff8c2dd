-- Reactions (design.md 13.1).
-- REACTION entries (kind 13) point at their message through ref_seq, like edits; they carry the
-- reactor's new set and the message's counts after it, encrypted like any content.
ALTER TABLE msg.entries DROP CONSTRAINT entries_kind;
ALTER TABLE msg.entries ADD CONSTRAINT entries_kind CHECK (kind IN (1, 2, 3, 10, 11, 12, 13));

-- One row per (message, user, emoji), written in the log writer's batch transaction with the
-- REACTION entry; deleted with the message's recall and when the user's membership ends. Counts are
-- computed from these rows at read time, never stored as numbers. Emoji are stored without
-- variation selectors.
CREATE TABLE msg.reactions (
  conversation_id bigint NOT NULL,
  seq bigint NOT NULL,
  user_id bigint NOT NULL,
  emoji text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, seq, user_id, emoji)
);
-- Removing a member's reactions when their membership ends.
CREATE INDEX reactions_user ON msg.reactions (conversation_id, user_id);
