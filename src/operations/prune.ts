const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What paperboy keeps only for a while, so D1 does not grow without bound:
 * - webhook ids: Resend stops retrying a delivery long before 30 days, so older ids guard nothing;
 * - Resend message ids of sent chunks: useful for support questions for 30 days;
 * - settled transactional mail and its batches (the payload is already gone): what was sent, for 30 days;
 * - local outbox mail (development): 7 days;
 * - which edition each reader was frozen for: only needed while an edition can still be sent (two
 *   days after its period), kept 14 days after it became ready for support questions;
 * - the record of each cron run and queue batch: the health panel shows the last ones, 7 days is plenty.
 * Subscribers, digests and the per-chunk counts stay; see the README's privacy table.
 */
const RETENTION = { webhookEventsDays: 30, resendIdsDays: 30, outboxDays: 7, mailDays: 30, deliveriesDays: 14, runsDays: 7 } as const;

export async function pruneExpiredRecords(db: D1Database, now: number): Promise<{ rowsChanged: number }> {
  const results = await db.batch([
    db.prepare("DELETE FROM webhook_events WHERE received_at < ?").bind(now - RETENTION.webhookEventsDays * DAY_MS),
    db
      .prepare("UPDATE digest_chunks SET resend_ids = NULL WHERE resend_ids IS NOT NULL AND sent_at < ?")
      .bind(now - RETENTION.resendIdsDays * DAY_MS),
    db.prepare("DELETE FROM outbox WHERE created_at < ?").bind(now - RETENTION.outboxDays * DAY_MS),
    db.prepare("DELETE FROM mail_outbox WHERE status != 'pending' AND status != 'sending' AND settled_at < ?").bind(now - RETENTION.mailDays * DAY_MS),
    db.prepare("DELETE FROM mail_batches WHERE status != 'sending' AND updated_at < ?").bind(now - RETENTION.mailDays * DAY_MS),
    db
      .prepare("DELETE FROM deliveries WHERE edition IN (SELECT edition FROM digests WHERE ready_at < ?)")
      .bind(now - RETENTION.deliveriesDays * DAY_MS),
    db.prepare("DELETE FROM runs WHERE started_at < ?").bind(now - RETENTION.runsDays * DAY_MS),
  ]);
  return { rowsChanged: results.reduce((sum, result) => sum + (result.meta.changes ?? 0), 0) };
}
