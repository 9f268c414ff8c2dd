-- Newest-first order over all rows, with the conversation in the key so that a search can test it
-- in the index and fetch only the caller's rows (design.md 14.3): the plan for common words, which
-- stops after a page of hits instead of reading the caller's whole history.
CREATE INDEX search_docs_time ON msg.search_docs (sent_at, conversation_id, seq);
