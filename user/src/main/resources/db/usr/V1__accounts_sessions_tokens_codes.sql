-- The user service's schema: accounts, device sessions, refresh tokens, verification codes.
-- All times are written by the service from its injected clock, never by now(), so tests can move time.

-- One row per user. email and phone are stored normalized (lowercased e-mail, E.164 phone); at least
-- one is present. username is stored lowercased, so the unique constraint makes it case-insensitive.
CREATE TABLE usr.accounts (
  user_id        bigint      PRIMARY KEY,
  email          text        CONSTRAINT accounts_email_key UNIQUE,
  phone          text        CONSTRAINT accounts_phone_key UNIQUE,
  -- PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash); NULL: no password, code login only.
  password_hash  text,
  display_name   text        NOT NULL,
  username       text        CONSTRAINT accounts_username_key UNIQUE,
  avatar_file_id text,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CONSTRAINT accounts_identifier_present CHECK (email IS NOT NULL OR phone IS NOT NULL),
  CONSTRAINT accounts_email_length CHECK (length(email) <= 254),
  CONSTRAINT accounts_phone_format CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
  CONSTRAINT accounts_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 64),
  CONSTRAINT accounts_username_format CHECK (username ~ '^[a-z][a-z0-9_]{4,31}$'),
  CONSTRAINT accounts_avatar_format CHECK (avatar_file_id ~ '^[A-Za-z0-9_-]{1,128}$')
);

-- One row per login on a device. Revoked sessions are kept (revoked_at set) so that the reason can be
-- reported and an access token of a revoked session is refused by a plain lookup.
-- Invariant: at most one active session per (user, device), enforced by sessions_active_device.
CREATE TABLE usr.sessions (
  session_id    bigint      PRIMARY KEY,
  user_id       bigint      NOT NULL REFERENCES usr.accounts (user_id) ON DELETE CASCADE,
  device_id     text        NOT NULL,
  platform      text        NOT NULL,
  device_name   text        NOT NULL,
  created_ip    text        NOT NULL,
  last_ip       text        NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoke_reason text,
  CONSTRAINT sessions_platform CHECK (platform IN ('web', 'android', 'ios', 'desktop')),
  CONSTRAINT sessions_device_id_format CHECK (device_id ~ '^[A-Za-z0-9._-]{1,64}$'),
  CONSTRAINT sessions_device_name_length CHECK (char_length(device_name) <= 64),
  CONSTRAINT sessions_revocation CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE UNIQUE INDEX sessions_active_device ON usr.sessions (user_id, device_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_active_user ON usr.sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens, stored only as SHA-256 of the token. A token is single use: rotation sets used_at
-- and inserts the successor. Used rows stay until they expire so that a second use is recognised as
-- reuse; all rows of a session are deleted when the session is revoked.
CREATE TABLE usr.refresh_tokens (
  token_hash bytea       PRIMARY KEY,
  session_id bigint      NOT NULL REFERENCES usr.sessions (session_id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  CONSTRAINT refresh_tokens_hash_length CHECK (octet_length(token_hash) = 32)
);
CREATE INDEX refresh_tokens_session ON usr.refresh_tokens (session_id, expires_at);

-- The current verification code per identifier (normalized e-mail or phone); a new request replaces
-- it. code_hash is HMAC-SHA256 under a server key, so a dump of this table does not reveal codes even
-- though a 6-digit code space is trivially enumerable. The row is deleted when the code is used.
CREATE TABLE usr.verification_codes (
  identifier text        PRIMARY KEY,
  code_hash  bytea       NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- Wrong tries so far; the code is dead once this reaches user.code.max-attempts.
  attempts   integer     NOT NULL DEFAULT 0,
  CONSTRAINT verification_codes_hash_length CHECK (octet_length(code_hash) = 32),
  CONSTRAINT verification_codes_attempts CHECK (attempts >= 0)
);
CREATE INDEX verification_codes_expires ON usr.verification_codes (expires_at);
