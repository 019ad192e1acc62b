/**
 * Every change to a digest's row, each a conditional statement guarded by the state machine in
 * `lifecycle.ts`, so concurrent runs cannot both win and no status moves in a way it may not.
 */
import type { Paper } from "../papers/paper";
import { type DigestEvent, type DigestStatus, statusesAllowing } from "./lifecycle";

export interface Digest {
  date: string;
  status: DigestStatus;
  subject: string | null;
  papers: Paper[];
  html: string | null;
  text: string | null;
  sample: boolean;
  skipReason: string | null;
  sourceAttempts: number;
  lastError: string | null;
  frozenAt: number | null;
  chunkCount: number;
  recipientCount: number;
  createdAt: number;
  completedAt: number | null;
}

interface DigestRow {
  date: string;
  status: DigestStatus;
  subject: string | null;
  papers: string | null;
  html: string | null;
  text: string | null;
  sample: number;
  skip_reason: string | null;
  source_attempts: number;
  last_error: string | null;
  frozen_at: number | null;
  chunk_count: number;
  recipient_count: number;
  created_at: number;
  completed_at: number | null;
}

function toDigest(row: DigestRow): Digest {
  return {
    date: row.date,
    status: row.status,
    subject: row.subject,
    papers: row.papers ? (JSON.parse(row.papers) as Paper[]) : [],
    html: row.html,
    text: row.text,
    sample: row.sample === 1,
    skipReason: row.skip_reason,
    sourceAttempts: row.source_attempts,
    lastError: row.last_error,
    frozenAt: row.frozen_at,
    chunkCount: row.chunk_count,
    recipientCount: row.recipient_count,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export async function findDigest(db: D1Database, date: string): Promise<Digest | null> {
  const row = await db.prepare("SELECT * FROM digests WHERE date = ?").bind(date).first<DigestRow>();
  return row ? toDigest(row) : null;
}

/**
 * Digests the sweep looks after: those still going out (ready or sending), and those sent with
 * failures whose sending began less than `windowMs` ago (their transient failures may be retried).
 */
export async function digestsInFlight(db: D1Database, now: number, windowMs: number): Promise<{ date: string; status: DigestStatus; frozenAt: number; updatedAt: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT date, status, frozen_at AS frozenAt, updated_at AS updatedAt FROM digests
       WHERE status IN ('ready', 'sending') OR (status = 'sent_with_failures' AND frozen_at > ? - ?) ORDER BY date`,
    )
    .bind(now, windowMs)
    .all<{ date: string; status: DigestStatus; frozenAt: number; updatedAt: number }>();
  return results;
}

/** The SQL guard of `event`: the statuses it may start from, as a literal list (they are constants). */
function from(event: DigestEvent): string {
  return `(${statusesAllowing(event).map((status) => `'${status}'`).join(", ")})`;
}

/** Records that the source was down after `attempts` requests; a later cron run tries again. Returns the requests made so far. */
export async function recordWaiting(db: D1Database, date: string, error: string, now: number, attempts = 1): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO digests (date, status, source_attempts, last_error, created_at, updated_at)
       VALUES (?1, 'waiting', ?4, ?2, ?3, ?3)
       ON CONFLICT (date) DO UPDATE SET status = 'waiting', source_attempts = source_attempts + ?4,
         last_error = ?2, updated_at = ?3
       WHERE digests.status IN ${from("source_down")}
       RETURNING source_attempts`,
    )
    .bind(date, error, now, attempts)
    .first<{ source_attempts: number }>();
  return row?.source_attempts ?? 0;
}

export async function recordSkipped(db: D1Database, date: string, reason: string, now: number, attempts = 0): Promise<void> {
  await db
    .prepare(
      `INSERT INTO digests (date, status, skip_reason, source_attempts, created_at, updated_at, completed_at)
       VALUES (?1, 'skipped', ?2, ?4, ?3, ?3, ?3)
       ON CONFLICT (date) DO UPDATE SET status = 'skipped', skip_reason = ?2, source_attempts = source_attempts + ?4,
         updated_at = ?3, completed_at = ?3
       WHERE digests.status IN ${from("skip")}`,
    )
    .bind(date, reason, now, attempts)
    .run();
}

export interface ReadyDigest {
  date: string;
  subject: string;
  papers: Paper[];
  html: string;
  text: string;
  sample: boolean;
  /** Requests made to the papers source for this build, retries included. */
  sourceAttempts?: number;
}

/**
 * Stores a built digest and freezes its recipients at `now`, atomically with the record of
 * which papers it sends. Returns false when another run got there first.
 */
export async function storeReadyDigest(db: D1Database, digest: ReadyDigest, now: number): Promise<boolean> {
  const upsert = db
    .prepare(
      `INSERT INTO digests (date, status, subject, papers, html, text, sample, source_attempts, frozen_at, created_at, updated_at)
       VALUES (?1, 'ready', ?2, ?3, ?4, ?5, ?6, ?8, ?7, ?7, ?7)
       ON CONFLICT (date) DO UPDATE SET status = 'ready', subject = ?2, papers = ?3, html = ?4, text = ?5,
         sample = ?6, source_attempts = source_attempts + ?8, frozen_at = ?7, skip_reason = NULL, last_error = NULL,
         updated_at = ?7, completed_at = NULL
       WHERE digests.status IN ${from("store")}`,
    )
    .bind(digest.date, digest.subject, JSON.stringify(digest.papers), digest.html, digest.text, digest.sample ? 1 : 0, now, digest.sourceAttempts ?? 0);
  // Sample papers (local development) repeat every day, so they are not remembered as sent.
  const remember = digest.sample
    ? []
    : digest.papers.map((paper) =>
        db
          .prepare("INSERT INTO sent_papers (paper_id, digest_date) VALUES (?, ?) ON CONFLICT (paper_id) DO NOTHING")
          .bind(paper.id, digest.date),
      );
  const [result] = await db.batch([upsert, ...remember]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Ids among `ids` that an earlier digest already sent. */
export async function findSentPaperIds(db: D1Database, ids: string[], exceptDate: string): Promise<Set<string>> {
  const sent = new Set<string>();
  // D1 allows 100 bound parameters per statement.
  for (let start = 0; start < ids.length; start += 90) {
    const slice = ids.slice(start, start + 90);
    const { results } = await db
      .prepare(
        `SELECT paper_id FROM sent_papers WHERE digest_date != ? AND paper_id IN (${slice.map(() => "?").join(", ")})`,
      )
      .bind(exceptDate, ...slice)
      .all<{ paper_id: string }>();
    for (const row of results) sent.add(row.paper_id);
  }
  return sent;
}

/**
 * The statement that records a fan-out, to run in one batch with the chunk rows: the digest
 * moves to sending (or straight to sent when nobody receives it) only if it is still ready.
 */
export function fannedOutStatement(
  db: D1Database,
  date: string,
  tally: { chunks: number; recipients: number },
  now: number,
): D1PreparedStatement {
  const status: DigestStatus = tally.chunks === 0 ? "sent" : "sending";
  return db
    .prepare(
      `UPDATE digests SET status = ?1, chunk_count = ?2, recipient_count = ?3, updated_at = ?4,
         completed_at = CASE WHEN ?1 = 'sent' THEN ?4 ELSE NULL END
       WHERE date = ?5 AND status IN ${from("fan_out")}`,
    )
    .bind(status, tally.chunks, tally.recipients, now, date);
}

/**
 * Settles the digest once no chunk is pending or sending: `sent` when every chunk went out,
 * `sent_with_failures` when some failed or their outcome is unknown. Returns the status it moved
 * to, or null when it did not move (chunks still unsettled, or another caller settled it).
 */
export async function finishIfSettled(db: D1Database, date: string, now: number): Promise<"sent" | "sent_with_failures" | null> {
  const row = await db
    .prepare(
      `UPDATE digests SET completed_at = ?1, updated_at = ?1,
         status = CASE WHEN EXISTS (SELECT 1 FROM digest_chunks WHERE digest_date = ?2 AND status IN ('failed', 'unknown'))
                  THEN 'sent_with_failures' ELSE 'sent' END
       WHERE date = ?2 AND status IN ${from("finish")}
         AND NOT EXISTS (SELECT 1 FROM digest_chunks WHERE digest_date = ?2 AND status IN ('pending', 'sending'))
       RETURNING status`,
    )
    .bind(now, date)
    .first<{ status: "sent" | "sent_with_failures" }>();
  return row?.status ?? null;
}

/** A digest that was never fanned out within its window is skipped, saying why; false when it had moved on. */
export async function expireDigest(db: D1Database, date: string, reason: string, now: number): Promise<boolean> {
  const result = await db
    .prepare(`UPDATE digests SET status = 'skipped', skip_reason = ?, updated_at = ? WHERE date = ? AND status IN ${from("expire")}`)
    .bind(reason, now, date)
    .run();
  return result.meta.changes > 0;
}

/** A digest sent with failures goes back to sending when its failed or unknown chunks are re-opened. */
export async function reopenDigest(db: D1Database, date: string, now: number): Promise<void> {
  await db
    .prepare(`UPDATE digests SET status = 'sending', completed_at = NULL, updated_at = ? WHERE date = ? AND status IN ${from("reopen")}`)
    .bind(now, date)
    .run();
}
