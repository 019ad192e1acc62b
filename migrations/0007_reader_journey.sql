-- The reader's journey: a sign-up of a known address gets the mail that fits its state ("you're
-- already subscribed", a link to manage the subscription), imported readers get a confirmation that
-- says an operator imported them, and an address its owner erased can be signed up again: the
-- erasure lasts until the owner confirms.

-- SQLite cannot change a CHECK constraint in place: the outbox is rebuilt with the new kinds. Its ids
-- now never come back (AUTOINCREMENT): a batch's Idempotency-Key is derived from its mails' ids, and a
-- mail asked for right after an erasure deleted the newest rows would otherwise get a deleted mail's id,
-- and with it the key of a batch Resend has seen (and would answer as a replay, sending nothing).
CREATE TABLE mail_outbox_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- confirm: the sign-up form's confirmation; confirm_import: the same for an address an operator
  -- imported; welcome; already_subscribed: a sign-up for an active address; manage_link: asked for
  -- with "manage by email". The last two are sent at most once per 10 minutes per subscriber.
  kind TEXT NOT NULL CHECK (kind IN ('confirm', 'confirm_import', 'welcome', 'already_subscribed', 'manage_link')),
  subscriber_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'rejected', 'failed')),
  payload TEXT,
  batch_key TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  settled_at INTEGER,
  UNIQUE (subscriber_id, kind, created_at)
);
INSERT INTO mail_outbox_new (id, kind, subscriber_id, status, payload, batch_key, error, created_at, settled_at)
SELECT id, kind, subscriber_id, status, payload, batch_key, error, created_at, settled_at FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_by_status ON mail_outbox (status, id);
CREATE INDEX mail_outbox_by_batch ON mail_outbox (batch_key);

-- The pending sign-up of an erased address: confirming it proves the owner wants paperboy again, and
-- deletes the erasure's hash in the same batch (found by this id, as the hash needs the secret).
ALTER TABLE suppressions ADD COLUMN reclaimed_by INTEGER;
CREATE INDEX suppressions_by_reclaimer ON suppressions (reclaimed_by) WHERE reclaimed_by IS NOT NULL;
