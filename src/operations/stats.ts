import { STATUSES } from "../subscribers/lifecycle";
import { collectReaderChoices, type ReaderChoices } from "./reader-choices";

const DAY_MS = 24 * 60 * 60 * 1000;

interface DigestStats {
  edition: string;
  cadence: string;
  status: string;
  recipients: number;
  sent: number;
  failed: number;
  /** Recipients of chunks whose outcome is unknown, waiting for an operator's decision. */
  unknown: number;
  /** Recipients Resend refused outright; they are undeliverable now. */
  refused: number;
  /** Frozen recipients not sent to because they left (unsubscribed, bounced, complained) before their chunk went. */
  suppressed: number;
}

export interface Stats {
  subscribers: Record<string, number>;
  /** What active readers chose: cadence, size, topics, time zone, hour. */
  readers: ReaderChoices;
  signupsPerDay: { date: string; count: number }[];
  unsubscribesPerDay: { date: string; count: number }[];
  digests: DigestStats[];
  /** Transactional mails (confirmations, welcomes, "already subscribed", manage links): how many wait in the outbox now, and how the last 30 days' went. */
  transactionalMail: {
    waiting: number;
    oldestWaitingSince: string | null;
    last30Days: { sent: number; refused: number; failed: number };
  };
  /** Over the last 30 days: bounces and complaints per email delivered. */
  bounceRate: number | null;
  complaintRate: number | null;
}

/** Everything the operator dashboard shows, in one D1 batch. */
export async function collectStats(db: D1Database, now: number): Promise<Stats> {
  const since14 = now - 14 * DAY_MS;
  const since30 = now - 30 * DAY_MS;
  const perDay = (column: string) =>
    db
      .prepare(
        `SELECT date(${column} / 1000, 'unixepoch') AS date, COUNT(*) AS count FROM subscribers
         WHERE ${column} >= ? GROUP BY 1 ORDER BY 1`,
      )
      .bind(since14);
  const readers = collectReaderChoices(db);
  const [byStatus, signups, unsubscribes, digests, mail, rates] = await db.batch([
    db.prepare("SELECT status, COUNT(*) AS count FROM subscribers GROUP BY status"),
    perDay("created_at"),
    perDay("unsubscribed_at"),
    db.prepare(
      `SELECT d.edition, d.cadence, d.status, d.recipient_count AS recipients,
         COALESCE(SUM(CASE WHEN c.status = 'sent' THEN c.sent_count END), 0) AS sent,
         COALESCE(SUM(c.rejected_count), 0) AS refused,
         COALESCE(SUM(CASE WHEN c.status = 'failed' THEN COALESCE(json_array_length(c.recipients), c.member_count) END), 0) AS failed,
         COALESCE(SUM(CASE WHEN c.status = 'unknown' THEN COALESCE(json_array_length(c.recipients), c.member_count) END), 0) AS unknown
       FROM digests d LEFT JOIN digest_chunks c ON c.edition = d.edition
       GROUP BY d.edition ORDER BY d.created_at DESC LIMIT 14`,
    ),
    db
      .prepare(
        `SELECT
           COUNT(CASE WHEN status IN ('pending', 'sending') THEN 1 END) AS waiting,
           MIN(CASE WHEN status IN ('pending', 'sending') THEN created_at END) AS oldestWaiting,
           COUNT(CASE WHEN status = 'sent' AND settled_at >= ?1 THEN 1 END) AS sent,
           COUNT(CASE WHEN status = 'rejected' AND settled_at >= ?1 THEN 1 END) AS refused,
           COUNT(CASE WHEN status = 'failed' AND settled_at >= ?1 THEN 1 END) AS failed
         FROM mail_outbox`,
      )
      .bind(since30),
    db
      .prepare(
        `SELECT
           (SELECT COALESCE(SUM(sent_count), 0) FROM digest_chunks WHERE sent_at >= ?1) AS delivered,
           (SELECT COUNT(*) FROM subscribers WHERE bounced_at >= ?1) AS bounced,
           (SELECT COUNT(*) FROM subscribers WHERE complained_at >= ?1) AS complained`,
      )
      .bind(since30),
  ]);
  const subscribers = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<string, number>;
  for (const row of rows<{ status: string; count: number }>(byStatus)) subscribers[row.status] = row.count;
  const outbox = rows<{ waiting: number; oldestWaiting: number | null; sent: number; refused: number; failed: number }>(mail)[0]!;
  const rate = rows<{ delivered: number; bounced: number; complained: number }>(rates)[0];
  return {
    subscribers,
    readers: await readers,
    signupsPerDay: rows(signups),
    unsubscribesPerDay: rows(unsubscribes),
    digests: rows<Omit<DigestStats, "suppressed">>(digests).map((digest) => ({
      ...digest,
      suppressed:
        digest.status === "sent" || digest.status === "sent_with_failures"
          ? Math.max(0, digest.recipients - digest.sent - digest.failed - digest.unknown - digest.refused)
          : 0,
    })),
    transactionalMail: {
      waiting: outbox.waiting,
      oldestWaitingSince: outbox.oldestWaiting === null ? null : new Date(outbox.oldestWaiting).toISOString(),
      last30Days: { sent: outbox.sent, refused: outbox.refused, failed: outbox.failed },
    },
    bounceRate: rate && rate.delivered > 0 ? rate.bounced / rate.delivered : null,
    complaintRate: rate && rate.delivered > 0 ? rate.complained / rate.delivered : null,
  };
}

function rows<T>(result: D1Result | undefined): T[] {
  return (result?.results ?? []) as T[];
}
