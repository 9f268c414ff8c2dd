-- Security events (issue 9): logins, failed logins, code requests, password changes, session
-- revocations, refresh-token reuse. Kept for user.security-events.retention, pruned by the janitor.
-- user_id is NULL for events that name no account (a code request, a failed login for an unknown
-- identifier): code requests deliberately never look at accounts. detail never holds a full
-- identifier, only its masked form.
CREATE TABLE usr.security_events (
  event_id   bigint      PRIMARY KEY,
  user_id    bigint,
  kind       text        NOT NULL,
  session_id bigint,
  ip         text        NOT NULL,
  detail     text        NOT NULL,
  at         timestamptz NOT NULL,
  CONSTRAINT security_events_kind_length CHECK (char_length(kind) <= 32),
  CONSTRAINT security_events_detail_length CHECK (char_length(detail) <= 256)
);
-- A user's own recent events, newest first; and the janitor's cut by time.
CREATE INDEX security_events_user ON usr.security_events (user_id, at DESC, event_id DESC) WHERE user_id IS NOT NULL;
CREATE INDEX security_events_at ON usr.security_events (at);
