-- Mail that never makes anyone wait: confirmation and welcome mails become rows of a durable outbox,
-- sent in batches of up to 100 by the queue consumer; the pacer learns Resend's limit from its answers;
-- an address Resend refuses becomes 'undeliverable' and is never mailed again.

-- SQLite cannot change a CHECK constraint in place: the subscribers table is rebuilt with the new status.
CREATE TABLE subscribers_new (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained', 'undeliverable')),
  token_version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  confirmation_sent_at INTEGER,
  confirmed_at INTEGER,
  unsubscribed_at INTEGER,
  bounced_at INTEGER,
  complained_at INTEGER,
  transient_bounces INTEGER NOT NULL DEFAULT 0,
  -- When and why Resend refused to send to the address (its validation message).
  undeliverable_at INTEGER,
  undeliverable_reason TEXT
);
INSERT INTO subscribers_new (id, email, email_key, status, token_version, created_at, updated_at, confirmation_sent_at,
  confirmed_at, unsubscribed_at, bounced_at, complained_at, transient_bounces)
SELECT id, email, email_key, status, token_version, created_at, updated_at, confirmation_sent_at,
  confirmed_at, unsubscribed_at, bounced_at, complained_at, transient_bounces FROM subscribers;
DROP TABLE subscribers;
ALTER TABLE subscribers_new RENAME TO subscribers;
CREATE INDEX subscribers_by_status ON subscribers (status, id);

-- One row per transactional mail, rendered when it is asked for, so sending it needs nothing but this row.
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('confirm', 'welcome')),
  subscriber_id INTEGER NOT NULL,
  -- pending: waiting for a batch; sending: in a batch; sent: accepted by Resend;
  -- rejected: Resend refused the address (see error); failed: gave up after repeated failures
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'rejected', 'failed')),
  -- JSON {from, to, subject, html, text, headers}; dropped once the mail is settled.
  payload TEXT,
  batch_key TEXT,
  -- Resend's reason when it refused the address, or the last error when the mail failed.
  error TEXT,
  created_at INTEGER NOT NULL,
  settled_at INTEGER,
  -- A subscriber gets one mail of a kind per request, however often the request is retried.
  UNIQUE (subscriber_id, kind, created_at)
);
CREATE INDEX mail_outbox_by_status ON mail_outbox (status, id);
CREATE INDEX mail_outbox_by_batch ON mail_outbox (batch_key);

-- The batches of the outbox: the same ledger rules as digest chunks (a lease, an attempt number that
-- every update matches, an unknown outcome retried byte-identically under the same key).
CREATE TABLE mail_batches (
  -- Derived from the batch's mail ids; also its Idempotency-Key.
  key TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 1,
  lease_until INTEGER,
  -- 1 when the last attempt may have reached Resend.
  outcome_unknown INTEGER NOT NULL DEFAULT 0,
  mail_count INTEGER NOT NULL,
  -- JSON: Resend's message id per mail, in mail id order (null for a refused one); pruned after 30 days.
  resend_ids TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX mail_batches_by_status ON mail_batches (status, lease_until);

-- Single-flight roles: at most one consumer at a time sends the outbox while no digest is going out.
CREATE TABLE send_roles (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  lease_until INTEGER NOT NULL
);

-- What Resend's last answers said about its rate limit: the calls allowed per second, and a time
-- before which no call may be made (a window spent, a retry-after).
ALTER TABLE send_pacer ADD COLUMN limit_per_second INTEGER;
ALTER TABLE send_pacer ADD COLUMN blocked_until INTEGER NOT NULL DEFAULT 0;

-- Recipients of a chunk that Resend refused by index in permissive mode; the rest were sent.
ALTER TABLE digest_chunks ADD COLUMN rejected_count INTEGER NOT NULL DEFAULT 0;
-- "Is a chunk being sent right now?", asked before the outbox sends on its own.
CREATE INDEX digest_chunks_in_flight ON digest_chunks (status, lease_until);
