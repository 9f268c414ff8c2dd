-- Pinned messages (design.md 13.5).
-- PIN entries (kind 14) point at their message through ref_seq, like edits and reactions; their
-- content says whether they pin or unpin it.
ALTER TABLE msg.entries DROP CONSTRAINT entries_kind;
ALTER TABLE msg.entries ADD CONSTRAINT entries_kind CHECK (kind IN (1, 2, 3, 10, 11, 12, 13, 14));

-- One row per pinned message, written in the log writer's batch transaction with the PIN entry
-- that announces it (pin_seq), deleted with the unpin entry or the message's recall. The list is
-- ordered by pin_seq: most recently pinned first, and a gap-free seq orders pins of one batch too.
CREATE TABLE msg.pins (
  conversation_id bigint NOT NULL,
  seq bigint NOT NULL,
  pin_seq bigint NOT NULL,
  pinned_by bigint NOT NULL,
  pinned_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
-- get_pinned_messages pages by pin_seq, newest first.
CREATE UNIQUE INDEX pins_order ON msg.pins (conversation_id, pin_seq);
