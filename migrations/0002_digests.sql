-- One row per digest date (the Hugging Face Daily Papers date it covers).
CREATE TABLE digests (
  date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  -- waiting: the source was down, a later cron run tries again until the deadline
  -- ready: built and rendered, recipients not yet split into chunks
  -- sending: chunks are queued; sent: every chunk settled; skipped: nothing to send
  status TEXT NOT NULL CHECK (status IN ('waiting', 'ready', 'sending', 'sent', 'skipped')),
  subject TEXT,
  -- JSON: the papers as they were sent, and their ids (for "never send a paper twice").
  papers TEXT,
  -- Rendered once, with a placeholder where each recipient's unsubscribe URL goes.
  html TEXT,
  text TEXT,
  sample INTEGER NOT NULL DEFAULT 0,
  skip_reason TEXT,
  source_attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  -- Recipients are the subscribers active at this instant (status active, confirmed_at <= frozen_at).
  frozen_at INTEGER,
  chunk_count INTEGER NOT NULL DEFAULT 0,
  recipient_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
);

-- Papers already sent, so a paper trending two days running is not sent twice.
CREATE TABLE sent_papers (
  paper_id TEXT PRIMARY KEY,
  digest_date TEXT NOT NULL REFERENCES digests (date)
);

-- The delivery ledger: one row per chunk of at most 100 recipients, covering subscriber ids
-- in (after_id, last_id]. Every state change is a conditional UPDATE.
CREATE TABLE digest_chunks (
  digest_date TEXT NOT NULL REFERENCES digests (date),
  chunk INTEGER NOT NULL,
  after_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  -- While 'sending', another consumer may take the chunk over only after this time.
  lease_until INTEGER,
  -- JSON [[subscriber id, email, token version], ...] of the last attempt's payload.
  recipients TEXT,
  -- 1 when the last attempt may have reached Resend: the retry must send the identical payload
  -- so that Resend's Idempotency-Key de-duplicates it.
  payload_locked INTEGER NOT NULL DEFAULT 0,
  resend_ids TEXT,
  sent_count INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  PRIMARY KEY (digest_date, chunk)
);

CREATE INDEX digest_chunks_by_status ON digest_chunks (digest_date, status);

-- Shared pacing for every call to Resend, across all consumers and isolates.
CREATE TABLE send_pacer (
  name TEXT PRIMARY KEY,
  next_slot_at INTEGER NOT NULL
);
