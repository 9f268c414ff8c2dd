-- Message search (design.md 14). No plaintext: tokens are the first 8 bytes of HMAC-SHA256 under a
-- key derived from content key key_id. One row per searchable message (text, or a caption or file
-- name); the row goes with its entry (retention) and is deleted by the indexer on recall.
CREATE TABLE msg.search_docs (
  conversation_id bigint      NOT NULL,
  seq             bigint      NOT NULL,
  sender_id       bigint      NOT NULL,
  sent_at         timestamptz NOT NULL,
  kind            smallint    NOT NULL, -- the entry's: 1 text, 2 image, 3 file
  has_link        boolean     NOT NULL,
  key_id          smallint    NOT NULL,
  tokens          bigint[]    NOT NULL,
  PRIMARY KEY (conversation_id, seq),
  FOREIGN KEY (conversation_id, seq) REFERENCES msg.entries (conversation_id, seq) ON DELETE CASCADE
);
CREATE INDEX search_docs_tokens ON msg.search_docs USING gin (tokens);

-- The indexer's durable position: every entry of the conversation with seq <= indexed_seq has been
-- applied. Moved in the transaction that writes the rows; locked (SKIP LOCKED) while a msg instance
-- indexes the conversation, so two instances never index one conversation at once.
CREATE TABLE msg.search_progress (
  conversation_id bigint PRIMARY KEY REFERENCES msg.conversations (conversation_id),
  indexed_seq     bigint NOT NULL
);
