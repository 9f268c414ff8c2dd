-- Push targets (issue 11): where a session's notifications go. At most one per session; deleted by
-- the transaction that revokes the session (SessionManager.revokeLocked), so a revoked device gets
-- nothing more. `address` is what identifies the device at its push service (FCM token, APNs device
-- token, Web Push endpoint); it is unique per service, so a token re-registered by another session
-- (another account on the same app install) leaves the old session.
CREATE TABLE usr.push_targets (
  session_id       bigint      PRIMARY KEY REFERENCES usr.sessions (session_id) ON DELETE CASCADE,
  user_id          bigint      NOT NULL,
  service          text        NOT NULL,
  address          text        NOT NULL,
  apns_environment text,
  apns_topic       text,
  webpush_p256dh   text,
  webpush_auth     text,
  notify_while_connected boolean NOT NULL,
  registered_at    timestamptz NOT NULL,
  CONSTRAINT push_targets_service CHECK (service IN ('fcm', 'apns', 'webpush')),
  CONSTRAINT push_targets_address_length CHECK (char_length(address) BETWEEN 1 AND 2048),
  CONSTRAINT push_targets_apns CHECK (
    (service = 'apns') = (apns_environment IS NOT NULL AND apns_topic IS NOT NULL)),
  CONSTRAINT push_targets_apns_environment CHECK (apns_environment IN ('sandbox', 'production')),
  CONSTRAINT push_targets_webpush CHECK (
    (service = 'webpush') = (webpush_p256dh IS NOT NULL AND webpush_auth IS NOT NULL))
);
CREATE UNIQUE INDEX push_targets_address ON usr.push_targets (service, address);
CREATE INDEX push_targets_user ON usr.push_targets (user_id);
