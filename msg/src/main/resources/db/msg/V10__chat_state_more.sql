-- The rest of the per-user chat state (design.md 13.1): pins, archive, the unread mark, drafts.
-- pin_rank: 0 not pinned; the highest rank is on top. The draft (text and reply target) is one
-- encrypted blob like entry content (design 8.8), under draft_key_id, bound to (user, conversation).
ALTER TABLE msg.chat_state
  ADD COLUMN pin_rank         integer     NOT NULL DEFAULT 0,
  ADD COLUMN archived         boolean     NOT NULL DEFAULT false,
  ADD COLUMN marked_unread    boolean     NOT NULL DEFAULT false,
  ADD COLUMN draft_key_id     smallint,
  ADD COLUMN draft            bytea,
  ADD COLUMN draft_updated_at timestamptz,
  ADD CONSTRAINT chat_state_pin_rank CHECK (pin_rank >= 0),
  ADD CONSTRAINT chat_state_draft_key CHECK ((draft IS NULL) = (draft_key_id IS NULL));

-- The user's pinned chats (the limit and the reorder read them).
CREATE INDEX chat_state_pinned ON msg.chat_state (user_id) WHERE pin_rank > 0;
