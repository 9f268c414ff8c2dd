-- The foreign key to msg.entries (V12) made every indexed message cost a row lock on its entry
-- (FOR KEY SHARE: a write to the entry's page and a WAL record), on the hot path of indexing
-- (design.md 14.4). Retention now deletes the rows itself (PostgresSearchBackend.forgetBefore, by
-- sent_at), and a row whose entry is gone is harmless meanwhile: every candidate is read back from
-- msg.entries before it is shown (design.md 14.3).
ALTER TABLE msg.search_docs DROP CONSTRAINT IF EXISTS search_docs_conversation_id_seq_fkey;
