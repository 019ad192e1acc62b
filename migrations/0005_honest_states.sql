-- Honest states: a digest whose chunks partly failed says so ('sent_with_failures'), and a chunk
-- whose outcome stayed unknown past Resend's 24-hour Idempotency-Key window waits for an operator
-- ('unknown') instead of being resent blindly.

-- SQLite cannot change a CHECK constraint in place: digests and digest_chunks are rebuilt, and so is
-- sent_papers, which refers to digests. The new tables refer to digests_new, the old ones are dropped
-- children first (so no foreign key ever points at a missing row), and renaming digests_new to digests
-- rewrites the children's references to it.

CREATE TABLE digests_new (
  date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  -- The state machine is src/digest/lifecycle.ts.
  status TEXT NOT NULL CHECK (status IN ('waiting', 'ready', 'sending', 'sent', 'sent_with_failures', 'skipped')),
  subject TEXT,
  papers TEXT,
  html TEXT,
  text TEXT,
  sample INTEGER NOT NULL DEFAULT 0,
  skip_reason TEXT,
  source_attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  frozen_at INTEGER,
  chunk_count INTEGER NOT NULL DEFAULT 0,
  recipient_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
);
INSERT INTO digests_new SELECT date, status, subject, papers, html, text, sample, skip_reason, source_attempts, last_error,
  frozen_at, chunk_count, recipient_count, created_at, updated_at, completed_at FROM digests;

CREATE TABLE sent_papers_new (
  paper_id TEXT PRIMARY KEY,
  digest_date TEXT NOT NULL REFERENCES digests_new (date)
);
INSERT INTO sent_papers_new SELECT paper_id, digest_date FROM sent_papers;

CREATE TABLE digest_chunks_new (
  digest_date TEXT NOT NULL REFERENCES digests_new (date),
  chunk INTEGER NOT NULL,
  after_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  -- The state machine is the ledger, src/digest/ledger.ts.
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  recipients TEXT,
  payload_locked INTEGER NOT NULL DEFAULT 0,
  -- When the locked payload was first handed to Resend: its Idempotency-Key counts from then.
  locked_at INTEGER,
  resend_ids TEXT,
  sent_count INTEGER NOT NULL DEFAULT 0,
  rejected_count INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  -- Why a failed chunk failed: 'permanent' (Resend refused it) or 'transient' (it ran out of attempts).
  failure_kind TEXT CHECK (failure_kind IN ('permanent', 'transient')),
  -- How often the cron's sweep has re-opened it after transient failures.
  retry_rounds INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  PRIMARY KEY (digest_date, chunk)
);
INSERT INTO digest_chunks_new (digest_date, chunk, after_id, last_id, status, attempts, lease_until, recipients, payload_locked,
  locked_at, resend_ids, sent_count, rejected_count, last_error, failure_kind, updated_at, sent_at)
SELECT digest_date, chunk, after_id, last_id, status, attempts, lease_until, recipients, payload_locked,
  CASE WHEN payload_locked = 1 THEN updated_at END, resend_ids, sent_count, rejected_count, last_error,
  CASE WHEN status = 'failed' THEN 'transient' END, updated_at, sent_at FROM digest_chunks;

DROP TABLE digest_chunks;
DROP TABLE sent_papers;
DROP TABLE digests;
ALTER TABLE digests_new RENAME TO digests;
ALTER TABLE sent_papers_new RENAME TO sent_papers;
ALTER TABLE digest_chunks_new RENAME TO digest_chunks;
CREATE INDEX digest_chunks_by_status ON digest_chunks (digest_date, status);
CREATE INDEX digest_chunks_in_flight ON digest_chunks (status, lease_until);
-- A digest that finished with failed chunks before this migration says so now.
UPDATE digests SET status = 'sent_with_failures'
WHERE status = 'sent' AND EXISTS (SELECT 1 FROM digest_chunks WHERE digest_date = digests.date AND status = 'failed');
-- "Which digests might need the sweep?", asked by every cron run.
CREATE INDEX digests_by_status ON digests (status, frozen_at);
