-- The reader's choice and the reader's own morning: daily or weekly editions, how many papers, which
-- topics, and a time zone and hour. An edition is rendered once per distinct paper list, and its
-- recipients are frozen slot by slot as each reader's morning comes, into chunks of the ledger.

-- What each reader chose (src/subscribers/preferences.ts). Existing readers keep today's digest:
-- daily, ten papers, every topic, at 07:00 UTC.
ALTER TABLE subscribers ADD COLUMN cadence TEXT NOT NULL DEFAULT 'daily' CHECK (cadence IN ('daily', 'weekly'));
ALTER TABLE subscribers ADD COLUMN digest_size INTEGER NOT NULL DEFAULT 10 CHECK (digest_size IN (3, 5, 10, 20));
-- JSON array of built-in topic ids and the reader's own keywords; [] is everything.
ALTER TABLE subscribers ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
ALTER TABLE subscribers ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE subscribers ADD COLUMN delivery_hour INTEGER NOT NULL DEFAULT 7 CHECK (delivery_hour BETWEEN 6 AND 10);
-- When the cadence, time zone or hour last changed: the freeze looks again at such readers, so a
-- reader who moves their morning is neither skipped nor sent an edition twice.
ALTER TABLE subscribers ADD COLUMN schedule_changed_at INTEGER;
-- "Who is due in this slot?": one seek per delivery hour over the zones whose morning has come.
CREATE INDEX subscribers_by_slot ON subscribers (status, cadence, delivery_hour, timezone);
CREATE INDEX subscribers_by_schedule_change ON subscribers (schedule_changed_at) WHERE schedule_changed_at IS NOT NULL;

-- Every time zone and hour a reader has ever had, kept by the database itself: each cron run works
-- out the slots of these few hundred groups at most, never by scanning the readers.
CREATE TABLE delivery_groups (
  timezone TEXT NOT NULL,
  delivery_hour INTEGER NOT NULL,
  PRIMARY KEY (timezone, delivery_hour)
) WITHOUT ROWID;
INSERT INTO delivery_groups (timezone, delivery_hour) SELECT DISTINCT timezone, delivery_hour FROM subscribers;
CREATE TRIGGER delivery_group_of_new_reader AFTER INSERT ON subscribers
BEGIN
  INSERT OR IGNORE INTO delivery_groups (timezone, delivery_hour) VALUES (NEW.timezone, NEW.delivery_hour);
END;
CREATE TRIGGER delivery_group_of_moved_reader AFTER UPDATE OF timezone, delivery_hour ON subscribers
BEGIN
  INSERT OR IGNORE INTO delivery_groups (timezone, delivery_hour) VALUES (NEW.timezone, NEW.delivery_hour);
END;

-- Digests become editions: a cadence and a period, named "2026-11-30" (daily) or "2026-W48"
-- (weekly). SQLite cannot change a primary key or a CHECK in place: the tables are rebuilt, children
-- first dropped (see 0005 for the order).
CREATE TABLE digests_new (
  edition TEXT PRIMARY KEY CHECK (edition GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' OR edition GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'),
  cadence TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly')),
  -- The state machine is src/digest/lifecycle.ts.
  status TEXT NOT NULL CHECK (status IN ('waiting', 'ready', 'sending', 'sent', 'sent_with_failures', 'skipped')),
  -- The subject of the edition as the web shows it (its top papers, every topic).
  subject TEXT,
  -- JSON: the period's papers in rank order (at most 100), minus those an earlier edition of the
  -- same cadence had; each reader's email is a selection from them.
  papers TEXT,
  sample INTEGER NOT NULL DEFAULT 0,
  skip_reason TEXT,
  source_attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  -- When it was built; every reader's slot is their first morning after this.
  ready_at INTEGER,
  -- Slots up to this instant have been frozen; the latest slot of any zone in use, as the last
  -- freeze saw them. Every reader's morning has come once frozen_through reaches last_slot.
  frozen_through INTEGER,
  last_slot INTEGER,
  chunk_count INTEGER NOT NULL DEFAULT 0,
  recipient_count INTEGER NOT NULL DEFAULT 0,
  -- Readers frozen whose topics matched none of its papers: they were sent nothing, by design.
  unmatched_count INTEGER NOT NULL DEFAULT 0,
  -- Readers whose morning came too late (over two days after the period): not sent, counted.
  missed_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
);
INSERT INTO digests_new (edition, cadence, status, subject, papers, sample, skip_reason, source_attempts, last_error, ready_at,
  frozen_through, last_slot, chunk_count, recipient_count, created_at, updated_at, completed_at)
SELECT date, 'daily', status, subject, papers, sample, skip_reason, source_attempts, last_error, frozen_at,
  -- A digest fanned out before this migration froze all its readers then, and keeps no deliveries
  -- rows: it counts as frozen for good (the largest safe integer), so no freeze ever takes it again.
  CASE WHEN status IN ('sending', 'sent', 'sent_with_failures') THEN 9007199254740991 END,
  CASE WHEN status IN ('sending', 'sent', 'sent_with_failures') THEN 9007199254740991 END, chunk_count, recipient_count, created_at, updated_at, completed_at
FROM digests;

-- Each email an edition is sent as: one per distinct paper list, whoever's choices led to it, with
-- placeholders for everything that differs per reader.
CREATE TABLE digest_renderings (
  edition TEXT NOT NULL REFERENCES digests_new (edition),
  -- Derived from the paper ids in order.
  key TEXT NOT NULL,
  paper_ids TEXT NOT NULL,
  subject TEXT NOT NULL,
  html TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (edition, key)
);
-- Editions already rendered as one email each keep it, under the key of their list.
INSERT INTO digest_renderings (edition, key, paper_ids, subject, html, text, created_at)
SELECT date, 'legacy', (SELECT json_group_array(json_extract(value, '$.id')) FROM json_each(papers)), subject, html, text, created_at
FROM digests WHERE html IS NOT NULL AND text IS NOT NULL AND subject IS NOT NULL;

-- Papers an edition offered, so a paper is not sent twice within a cadence.
CREATE TABLE edition_papers (
  cadence TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly')),
  paper_id TEXT NOT NULL,
  edition TEXT NOT NULL REFERENCES digests_new (edition),
  PRIMARY KEY (cadence, paper_id)
) WITHOUT ROWID;
INSERT INTO edition_papers (cadence, paper_id, edition) SELECT 'daily', paper_id, digest_date FROM sent_papers;

-- The ledger: chunks of at most 100 recipients, each frozen in one slot. A chunk names its members
-- and the rendering each one gets, so readers of different choices share a Resend call.
CREATE TABLE digest_chunks_new (
  edition TEXT NOT NULL REFERENCES digests_new (edition),
  chunk INTEGER NOT NULL,
  -- The quarter hour (ms) whose freeze made it: the readers whose morning it is.
  slot INTEGER NOT NULL,
  -- JSON [[subscriber id, rendering key, topics], ...]: who, and what each one is sent. Dropped once sent.
  members TEXT,
  member_count INTEGER NOT NULL,
  -- The state machine is the ledger, src/digest/ledger.ts.
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  -- JSON of the last attempt's payload inputs; see src/digest/recipients.ts.
  recipients TEXT,
  payload_locked INTEGER NOT NULL DEFAULT 0,
  locked_at INTEGER,
  resend_ids TEXT,
  sent_count INTEGER NOT NULL DEFAULT 0,
  rejected_count INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  failure_kind TEXT CHECK (failure_kind IN ('permanent', 'transient')),
  retry_rounds INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  PRIMARY KEY (edition, chunk)
);
-- Chunks of editions that went out before this migration keep their numbers and counts; their
-- members were an id range, which no longer matters once a chunk is settled. An unsettled one has
-- no members to send to: it is failed for an operator to look at (the upgrade test shows none).
INSERT INTO digest_chunks_new (edition, chunk, slot, members, member_count, status, attempts, lease_until, recipients, payload_locked,
  locked_at, resend_ids, sent_count, rejected_count, last_error, failure_kind, retry_rounds, updated_at, sent_at)
SELECT digest_date, chunk, COALESCE((SELECT frozen_at FROM digests WHERE date = digest_date), updated_at), NULL,
  COALESCE(json_array_length(recipients), last_id - after_id),
  CASE WHEN status IN ('pending', 'sending') THEN 'failed' ELSE status END, attempts, NULL, recipients, payload_locked,
  locked_at, resend_ids, sent_count, rejected_count,
  CASE WHEN status IN ('pending', 'sending') THEN 'not sent before the upgrade to editions' ELSE last_error END,
  CASE WHEN status IN ('pending', 'sending') THEN 'permanent' ELSE failure_kind END, retry_rounds, updated_at, sent_at
FROM digest_chunks;

-- One row per reader and edition: the database itself refuses to freeze anyone twice for the same
-- edition, whatever crons, queues or preference changes do. chunk is NULL when nothing matched the
-- reader's topics. Pruned once the edition can no longer be sent.
CREATE TABLE deliveries (
  edition TEXT NOT NULL,
  subscriber_id INTEGER NOT NULL,
  chunk INTEGER,
  PRIMARY KEY (edition, subscriber_id)
) WITHOUT ROWID;

DROP TABLE digest_chunks;
DROP TABLE sent_papers;
DROP TABLE digests;
ALTER TABLE digests_new RENAME TO digests;
ALTER TABLE digest_chunks_new RENAME TO digest_chunks;
CREATE INDEX digest_chunks_by_status ON digest_chunks (edition, status);
CREATE INDEX digest_chunks_in_flight ON digest_chunks (status, lease_until);
CREATE INDEX digests_by_status ON digests (status, ready_at);
CREATE INDEX digests_by_cadence ON digests (cadence, edition);
