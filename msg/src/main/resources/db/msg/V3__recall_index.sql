-- Recall entries by the entry they recall: how an unread count tells "recalled as of a seq" (Entries.
-- countUnread) and how a repeated recall finds the first one (Entries.recallsOf), without scanning a
-- conversation's whole log. Recalls are few, so the partial index is small.
CREATE INDEX entries_recalls ON msg.entries (conversation_id, ref_seq) WHERE kind = 11;
