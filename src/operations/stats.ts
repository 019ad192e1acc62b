import { STATUSES } from "../subscribers/lifecycle";
import { type GrowthDay, growthStatements, readGrowth } from "./growth";
import { collectReaderChoices, type ReaderChoices } from "./reader-choices";

/** Days of sign-ups and leavers the dashboard charts, and how many editions it lists. */
const GROWTH_DAYS = 90;
const EDITIONS_LISTED = 30;

/**
 * Complaint rates that matter to the big mailbox providers: Gmail's bulk-sender rules say never
 * to reach 0.3%, and Google advises staying below 0.1%.
 */
export const COMPLAINT_LIMIT = 0.003;
export const COMPLAINT_ADVICE = 0.001;

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
  /** Bounces and complaints Resend reported for this edition's mails, and their share of those sent. */
  bounced: number;
  complained: number;
  bounceRate: number | null;
  complaintRate: number | null;
  /** "limit" at or above Gmail's 0.3%, "advice" at or above Google's advised 0.1%. */
  complaintWarning: "limit" | "advice" | null;
}

export interface Stats {
  subscribers: Record<string, number>;
  /** What active readers chose: cadence, size, topics, time zone, hour. */
  readers: ReaderChoices;
  /** The last 90 days, oldest first: sign-ups, confirmations, leavers and the active readers at each day's end. */
  growth: GrowthDay[];
  /** The last 30 editions, newest first. */
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

/** Everything the operator dashboard shows (and `GET /admin/stats` answers), in one D1 batch. */
export async function collectStats(db: D1Database, now: number): Promise<Stats> {
  const since30 = now - 30 * DAY_MS;
  const readers = collectReaderChoices(db);
  const growth = growthStatements(db, now, GROWTH_DAYS);
  const [byStatus, digests, mail, rates, ...growthResults] = await db.batch([
    db.prepare("SELECT status, COUNT(*) AS count FROM subscribers GROUP BY status"),
    db.prepare(
      `SELECT d.edition, d.cadence, d.status, d.recipient_count AS recipients,
         (SELECT COALESCE(SUM(count), 0) FROM edition_feedback f WHERE f.edition = d.edition AND f.kind = 'bounced') AS bounced,
         (SELECT COALESCE(SUM(count), 0) FROM edition_feedback f WHERE f.edition = d.edition AND f.kind = 'complained') AS complained,
         COALESCE(SUM(CASE WHEN c.status = 'sent' THEN c.sent_count END), 0) AS sent,
         COALESCE(SUM(c.rejected_count), 0) AS refused,
         COALESCE(SUM(CASE WHEN c.status = 'failed' THEN COALESCE(json_array_length(c.recipients), c.member_count) END), 0) AS failed,
         COALESCE(SUM(CASE WHEN c.status = 'unknown' THEN COALESCE(json_array_length(c.recipients), c.member_count) END), 0) AS unknown
       FROM digests d LEFT JOIN digest_chunks c ON c.edition = d.edition
       GROUP BY d.edition ORDER BY d.created_at DESC LIMIT ${EDITIONS_LISTED}`,
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
    ...growth,
  ]);
  const subscribers = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<string, number>;
  for (const row of rows<{ status: string; count: number }>(byStatus)) subscribers[row.status] = row.count;
  const outbox = rows<{ waiting: number; oldestWaiting: number | null; sent: number; refused: number; failed: number }>(mail)[0]!;
  const rate = rows<{ delivered: number; bounced: number; complained: number }>(rates)[0];
  return {
    subscribers,
    readers: await readers,
    growth: readGrowth(growthResults, now, GROWTH_DAYS),
    digests: rows<EditionRow>(digests).map(editionStats),
    transactionalMail: {
      waiting: outbox.waiting,
      oldestWaitingSince: outbox.oldestWaiting === null ? null : new Date(outbox.oldestWaiting).toISOString(),
      last30Days: { sent: outbox.sent, refused: outbox.refused, failed: outbox.failed },
    },
    bounceRate: rate && rate.delivered > 0 ? rate.bounced / rate.delivered : null,
    complaintRate: rate && rate.delivered > 0 ? rate.complained / rate.delivered : null,
  };
}

type EditionRow = Omit<DigestStats, "suppressed" | "bounceRate" | "complaintRate" | "complaintWarning">;

function editionStats(row: EditionRow): DigestStats {
  const share = (count: number) => (row.sent > 0 ? count / row.sent : null);
  const complaintRate = share(row.complained);
  return {
    ...row,
    suppressed:
      row.status === "sent" || row.status === "sent_with_failures" ? Math.max(0, row.recipients - row.sent - row.failed - row.unknown - row.refused) : 0,
    bounceRate: share(row.bounced),
    complaintRate,
    complaintWarning: complaintRate === null ? null : complaintRate >= COMPLAINT_LIMIT ? "limit" : complaintRate >= COMPLAINT_ADVICE ? "advice" : null,
  };
}

function rows<T>(result: D1Result | undefined): T[] {
  return (result?.results ?? []) as T[];
}
