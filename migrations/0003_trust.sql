-- Consecutive transient bounces; three in a row suppress the address like a permanent bounce.
ALTER TABLE subscribers ADD COLUMN transient_bounces INTEGER NOT NULL DEFAULT 0;

-- Webhook deliveries already processed, by svix-id: Resend retries with the same id.
CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

-- Addresses whose owners deleted their data: only a keyed hash (HMAC with SIGNING_SECRET)
-- remains, so the address stays suppressed without being stored.
CREATE TABLE suppressions (
  email_hash TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
