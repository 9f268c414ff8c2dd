-- Privacy settings (issue 12 items 2 and 7, design.md 13.2): one row per user who changed a default
-- (forwards and last_seen 'everyone', no exceptions). The lists are small (at most 100 ids each,
-- checked by the service) and always read whole with the row, so they are arrays, not rows.
CREATE TABLE usr.privacy_settings (
  user_id          bigint      PRIMARY KEY,
  forwards         text        NOT NULL,
  last_seen        text        NOT NULL,
  last_seen_always bigint[]    NOT NULL,
  last_seen_never  bigint[]    NOT NULL,
  updated_at       timestamptz NOT NULL,
  CONSTRAINT privacy_forwards CHECK (forwards IN ('everyone', 'contacts', 'nobody')),
  CONSTRAINT privacy_last_seen CHECK (last_seen IN ('everyone', 'contacts', 'nobody')),
  CONSTRAINT privacy_lists_bounded CHECK (
    cardinality(last_seen_always) <= 100 AND cardinality(last_seen_never) <= 100)
);
