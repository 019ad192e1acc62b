-- Subscribers and their lifecycle. Times are milliseconds since the Unix epoch (UTC).
CREATE TABLE subscribers (
  id INTEGER PRIMARY KEY,
  -- The address as we send to it: local part as typed, domain in ASCII (punycode).
  email TEXT NOT NULL,
  -- Lower-cased form used to de-duplicate addresses case-insensitively.
  email_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
  -- Bumped to revoke every token issued to this subscriber.
  token_version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  confirmation_sent_at INTEGER,
  confirmed_at INTEGER,
  unsubscribed_at INTEGER,
  bounced_at INTEGER,
  complained_at INTEGER
);

-- Recipients of a digest are the active subscribers in id order.
CREATE INDEX subscribers_by_status ON subscribers (status, id);

-- The local outbox: where mail goes when no RESEND_API_KEY is configured (development).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  -- Mirrors Resend's Idempotency-Key: one message per key and recipient.
  idempotency_key TEXT,
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  headers TEXT NOT NULL,
  html TEXT NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (idempotency_key, recipient)
);
