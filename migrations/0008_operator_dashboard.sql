-- The operator's dashboard: its sign-in sessions, the runs its health panel lists, the paper
-- source's last answer, and bounces and complaints per edition.

-- A signed-in browser. The cookie holds the session id (signed with a key derived from ADMIN_TOKEN);
-- only its SHA-256 is stored, so a copy of the database signs nobody in. Signing out deletes the row.
CREATE TABLE admin_sessions (
  id_hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- One row per cron run and per queue batch, with the run id their log lines carry. Pruned after 7 days.
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('cron', 'queue')),
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
  -- JSON: what the run did (the cron's report, the queue's message counts) or why it failed.
  detail TEXT
);
CREATE INDEX runs_by_kind ON runs (kind, started_at);

-- The last answer of an upstream service the Worker depends on ('papers': Hugging Face), kept as one
-- row per service so the health panel can say when it last answered and how.
CREATE TABLE service_answers (
  service TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
  detail TEXT
);

-- Bounces and complaints per edition, from the `edition` tag each digest mail carries and Resend's
-- webhooks echo. Counted in the webhook's own batch, so a redelivered webhook counts once.
CREATE TABLE edition_feedback (
  edition TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('bounced', 'complained')),
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (edition, kind)
);
