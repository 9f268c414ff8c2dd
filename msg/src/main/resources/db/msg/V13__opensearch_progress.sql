-- The search indexer's position in the OpenSearch index (design.md 14.6), the twin of
-- msg.search_progress (V12): every entry of the conversation with seq <= indexed_seq has been sent to
-- OpenSearch. Kept apart so that switching msg.search.backend resumes each index where it stopped.
CREATE TABLE msg.opensearch_progress (
  conversation_id bigint PRIMARY KEY REFERENCES msg.conversations (conversation_id),
  indexed_seq     bigint NOT NULL
);
