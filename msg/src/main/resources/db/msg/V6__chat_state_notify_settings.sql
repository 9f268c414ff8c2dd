-- Per-user state of a conversation (design.md 12.1): today the notification settings, later pins,
-- archive, drafts (issue 12). A row exists only once the user changed something; no row = defaults.
-- Muted: muted_forever, or until muted_until (a past time is simply not muted any more).
-- previews: 0 follow the global switch, 1 show, 2 hide.
CREATE TABLE msg.chat_state (
  user_id         bigint      NOT NULL,
  conversation_id bigint      NOT NULL,
  muted_until     timestamptz,
  muted_forever   boolean     NOT NULL DEFAULT false,
  previews        smallint    NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (user_id, conversation_id),
  CONSTRAINT chat_state_previews CHECK (previews IN (0, 1, 2)),
  CONSTRAINT chat_state_one_mute CHECK (NOT (muted_forever AND muted_until IS NOT NULL))
);

-- The user's global notification settings; no row = defaults (both true).
CREATE TABLE msg.notify_settings (
  user_id                  bigint      PRIMARY KEY,
  show_previews            boolean     NOT NULL,
  notify_mentions_in_muted boolean     NOT NULL,
  updated_at               timestamptz NOT NULL
);
