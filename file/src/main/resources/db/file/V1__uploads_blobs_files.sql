-- The file service (design.md 11). Objects live in S3; these tables say what they are, who uploaded
-- them and whether they may be used. All times are written from the service's injected clock.

-- Verified content, stored once per (sha256, size). A blob row exists only for bytes the service has
-- hashed and sniffed itself.
CREATE TABLE file.blobs (
  blob_id      bigint PRIMARY KEY,
  sha256       bytea NOT NULL CHECK (octet_length(sha256) = 32),
  size         bigint NOT NULL CHECK (size > 0),
  object_key   text NOT NULL UNIQUE,
  -- What the bytes are, by their magic numbers.
  mime_type    text NOT NULL,
  -- live; deleting (next: the janitor removes objects past delete_after).
  state        text NOT NULL DEFAULT 'live',
  -- Null while referenced (or never referenced yet and within its grace period: next step).
  delete_after timestamptz,
  -- NOT_MEDIA, UNPROCESSED, PROCESSED or FAILED (FileInfo.MediaStatus).
  media        text NOT NULL,
  width        integer,
  height       integer,
  preview      bytea,
  created_at   timestamptz NOT NULL,
  UNIQUE (sha256, size)
);

-- Objects derived from a blob by the image processor.
CREATE TABLE file.thumbnails (
  blob_id    bigint NOT NULL REFERENCES file.blobs,
  kind       text NOT NULL,
  object_key text NOT NULL UNIQUE,
  mime_type  text NOT NULL,
  width      integer NOT NULL,
  height     integer NOT NULL,
  size       bigint NOT NULL,
  PRIMARY KEY (blob_id, kind)
);

-- What users uploaded: a name and an owner on a blob. Usable exactly when the row exists.
CREATE TABLE file.files (
  file_id    bigint PRIMARY KEY,
  owner_id   bigint NOT NULL,
  blob_id    bigint NOT NULL REFERENCES file.blobs,
  name       text NOT NULL,
  mime_type  text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX files_blob ON file.files (blob_id);

-- Who uses a file (next step: messages and avatars). One of the two keys is set.
CREATE TABLE file.refs (
  file_id         bigint NOT NULL REFERENCES file.files,
  conversation_id bigint,
  seq             bigint,
  avatar_user_id  bigint,
  created_at      timestamptz NOT NULL,
  CHECK ((conversation_id IS NOT NULL AND seq IS NOT NULL AND avatar_user_id IS NULL)
      OR (conversation_id IS NULL AND seq IS NULL AND avatar_user_id IS NOT NULL))
);
CREATE UNIQUE INDEX refs_message ON file.refs (conversation_id, seq, file_id) WHERE conversation_id IS NOT NULL;
CREATE UNIQUE INDEX refs_avatar ON file.refs (avatar_user_id) WHERE avatar_user_id IS NOT NULL;
CREATE INDEX refs_file ON file.refs (file_id);

-- One row per create_upload. State machine:
--   open -> completing (lease) -> done | failed;  open -> expired (janitor, past expires_at).
-- A completing row whose lease ran out is completed again by the janitor.
CREATE TABLE file.uploads (
  upload_id        bigint PRIMARY KEY,
  owner_id         bigint NOT NULL,
  -- Allocated at creation, so that every completion of this upload names the same file.
  file_id          bigint NOT NULL UNIQUE,
  name             text NOT NULL,
  mime_type        text NOT NULL,
  size             bigint NOT NULL,
  sha256           bytea NOT NULL,
  object_key       text NOT NULL UNIQUE,
  -- The S3 multipart upload id; null for a single PUT.
  multipart_id     text,
  part_size        bigint NOT NULL,
  part_count       integer NOT NULL,
  -- The dedup candidate and the challenge offered for it (spent after one answer).
  dedup_blob_id    bigint,
  challenge_nonce  bytea,
  challenge_offset bigint,
  challenge_length bigint,
  state            text NOT NULL,
  lease_until      timestamptz,
  attempt          integer NOT NULL DEFAULT 0,
  -- The error reason of a failed upload, answered again to every later completion.
  failure          text,
  failure_message  text,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  finished_at      timestamptz
);
CREATE INDEX uploads_open ON file.uploads (expires_at) WHERE state = 'open';
CREATE INDEX uploads_completing ON file.uploads (lease_until) WHERE state = 'completing';
CREATE INDEX uploads_finished ON file.uploads (finished_at) WHERE state IN ('failed', 'expired');
