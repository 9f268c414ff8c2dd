-- The message service's schema. See docs/design.md section 8 for why it is shaped this way.
-- All times are written by the service from its injected clock, never by now().

-- One row per conversation. last_seq is the head of the conversation's log; writers of one
-- conversation serialize on this row's lock, which is what makes seq gap-free.
CREATE TABLE msg.conversations (
  conversation_id  bigint      PRIMARY KEY,
  type             smallint    NOT NULL,           -- 1 direct, 2 group
  title            text,                           -- groups only
  owner_id         bigint,                         -- groups only
  last_seq         bigint      NOT NULL DEFAULT 0,
  member_count     integer     NOT NULL DEFAULT 0, -- current members
  created_at       timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  disbanded_at     timestamptz,
  CONSTRAINT conversations_type CHECK (type IN (1, 2)),
  CONSTRAINT conversations_last_seq CHECK (last_seq >= 0),
  CONSTRAINT conversations_group_title CHECK (type = 1 OR char_length(title) BETWEEN 1 AND 128)
);

-- The one-to-one conversation of each pair of users (user_lo < user_hi). The primary key makes two
-- concurrent "first messages" agree on one conversation.
CREATE TABLE msg.direct_pairs (
  user_lo         bigint NOT NULL,
  user_hi         bigint NOT NULL,
  conversation_id bigint NOT NULL UNIQUE REFERENCES msg.conversations (conversation_id),
  PRIMARY KEY (user_lo, user_hi),
  CONSTRAINT direct_pairs_order CHECK (user_lo < user_hi)
);

-- Membership, kept after leaving so that the history the member saw stays readable.
-- Invariant: a member may read entries with first_visible_seq <= seq <= coalesce(last_visible_seq, last_seq).
CREATE TABLE msg.members (
  conversation_id   bigint      NOT NULL REFERENCES msg.conversations (conversation_id),
  user_id           bigint      NOT NULL,
  role              smallint    NOT NULL,           -- 1 member, 2 admin, 3 owner
  first_visible_seq bigint      NOT NULL,
  last_visible_seq  bigint,                         -- NULL while a member
  read_seq          bigint      NOT NULL DEFAULT 0, -- only ever increases
  joined_at         timestamptz NOT NULL,
  left_at           timestamptz,
  PRIMARY KEY (conversation_id, user_id),
  CONSTRAINT members_role CHECK (role IN (1, 2, 3)),
  CONSTRAINT members_left CHECK ((last_visible_seq IS NULL) = (left_at IS NULL))
);
CREATE INDEX members_user ON msg.members (user_id);

-- The conversation logs. content is AES-256-GCM (nonce || ciphertext) of the serialized content under
-- key key_id, with (conversation_id, seq) as associated data; NULL once recalled.
CREATE TABLE msg.entries (
  conversation_id bigint      NOT NULL REFERENCES msg.conversations (conversation_id),
  seq             bigint      NOT NULL,
  message_id      bigint      NOT NULL,
  sender_id       bigint      NOT NULL,
  client_msg_id   text,
  kind            smallint    NOT NULL, -- 1 text, 2 image, 3 file, 10 service, 11 recall
  key_id          smallint,
  content         bytea,
  ref_seq         bigint,               -- recall: the recalled entry
  created_at      timestamptz NOT NULL,
  recalled_at     timestamptz,
  PRIMARY KEY (conversation_id, seq),
  CONSTRAINT entries_seq CHECK (seq >= 1),
  CONSTRAINT entries_kind CHECK (kind IN (1, 2, 3, 10, 11)),
  CONSTRAINT entries_key CHECK ((content IS NULL) = (key_id IS NULL))
);
-- Idempotent send: one entry per (conversation, sender, client_msg_id).
CREATE UNIQUE INDEX entries_client_msg_id ON msg.entries (conversation_id, sender_id, client_msg_id)
  WHERE client_msg_id IS NOT NULL;

-- The head of each user's update feed. pts is allocated under this row's lock (never from a global
-- sequence), so feed positions of one user commit in order. Feed rows below min_pts were pruned.
CREATE TABLE msg.feed_heads (
  user_id bigint PRIMARY KEY,
  pts     bigint NOT NULL DEFAULT 0,
  min_pts bigint NOT NULL DEFAULT 1
);

-- The update feeds: small pointers, never message content (recall must be able to erase content).
CREATE TABLE msg.feed (
  user_id         bigint      NOT NULL,
  pts             bigint      NOT NULL,
  kind            smallint    NOT NULL, -- 1 entry, 2 read marker, 3 read receipt, 10 friend request, 11 friend, 12 block
  conversation_id bigint,
  seq             bigint,               -- entry: its seq; marker/receipt: the read seq
  other_user_id   bigint,               -- receipt: the reader; relations: the other user
  payload         bytea,                -- relations: the serialized update
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (user_id, pts)
);
CREATE INDEX feed_created ON msg.feed (created_at);

-- What each device (session) has acknowledged.
CREATE TABLE msg.device_cursors (
  session_id bigint      PRIMARY KEY,
  user_id    bigint      NOT NULL,
  acked_pts  bigint      NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX device_cursors_user ON msg.device_cursors (user_id);

-- Relations. friends holds both directions (a, b) and (b, a).
CREATE TABLE msg.friend_requests (
  from_user_id bigint      NOT NULL,
  to_user_id   bigint      NOT NULL,
  note         text        NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (from_user_id, to_user_id),
  CONSTRAINT friend_requests_self CHECK (from_user_id <> to_user_id)
);
CREATE INDEX friend_requests_to ON msg.friend_requests (to_user_id);

CREATE TABLE msg.friends (
  user_id   bigint      NOT NULL,
  friend_id bigint      NOT NULL,
  since     timestamptz NOT NULL,
  PRIMARY KEY (user_id, friend_id),
  CONSTRAINT friends_self CHECK (user_id <> friend_id)
);

CREATE TABLE msg.blocks (
  user_id    bigint      NOT NULL,
  blocked_id bigint      NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, blocked_id),
  CONSTRAINT blocks_self CHECK (user_id <> blocked_id)
);
CREATE INDEX blocks_blocked ON msg.blocks (blocked_id);
