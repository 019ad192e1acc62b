/**
 * Every change to an edition's row, each a conditional statement guarded by the state machine in
 * `lifecycle.ts`, so concurrent runs cannot both win and no status moves in a way it may not.
 */
import type { Paper } from "../papers/paper";
import type { Cadence } from "../subscribers/preferences";
import { cadenceOf } from "./editions";
import { type DigestEvent, type DigestStatus, statusesAllowing } from "./lifecycle";

export interface Digest {
  edition: string;
  cadence: Cadence;
  status: DigestStatus;
  /** The subject as the web edition reads (its top papers, every topic). */
  subject: string | null;
  /** The period's papers in rank order; each reader's email is a selection from them. */
  papers: Paper[];
  sample: boolean;
  skipReason: string | null;
  sourceAttempts: number;
  lastError: string | null;
  readyAt: number | null;
  frozenThrough: number | null;
  lastSlot: number | null;
  chunkCount: number;
  recipientCount: number;
  unmatchedCount: number;
  missedCount: number;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

interface DigestRow {
  edition: string;
  cadence: Cadence;
  status: DigestStatus;
  subject: string | null;
  papers: string | null;
  sample: number;
  skip_reason: string | null;
  source_attempts: number;
  last_error: string | null;
  ready_at: number | null;
  frozen_through: number | null;
  last_slot: number | null;
  chunk_count: number;
  recipient_count: number;
  unmatched_count: number;
  missed_count: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

function toDigest(row: DigestRow): Digest {
  return {
    edition: row.edition,
    cadence: row.cadence,
    status: row.status,
    subject: row.subject,
    papers: row.papers ? (JSON.parse(row.papers) as Paper[]) : [],
    sample: row.sample === 1,
    skipReason: row.skip_reason,
    sourceAttempts: row.source_attempts,
    lastError: row.last_error,
    readyAt: row.ready_at,
    frozenThrough: row.frozen_through,
    lastSlot: row.last_slot,
    chunkCount: row.chunk_count,
    recipientCount: row.recipient_count,
    unmatchedCount: row.unmatched_count,
    missedCount: row.missed_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

export async function findDigest(db: D1Database, edition: string): Promise<Digest | null> {
  const row = await db.prepare("SELECT * FROM digests WHERE edition = ?").bind(edition).first<DigestRow>();
  return row ? toDigest(row) : null;
}

/** Editions that may still reach someone: built, and no older than `sendableUntil` allows (the caller filters). */
export async function sendableEditions(db: D1Database): Promise<Digest[]> {
  const { results } = await db
    .prepare("SELECT * FROM digests WHERE status IN ('ready', 'sending', 'sent', 'sent_with_failures') AND ready_at IS NOT NULL ORDER BY edition")
    .all<DigestRow>();
  return results.map(toDigest);
}

/** Editions with chunks that may need the sweep: going out, or sent with failures not yet retried away (the last week's). */
export async function editionsGoingOut(db: D1Database): Promise<{ edition: string; status: DigestStatus }[]> {
  const { results } = await db
    .prepare("SELECT edition, status FROM digests WHERE status IN ('sending', 'sent_with_failures') ORDER BY ready_at DESC LIMIT 20")
    .all<{ edition: string; status: DigestStatus }>();
  return results;
}

/** The SQL guard of `event`: the statuses it may start from, as a literal list (they are constants). */
function from(event: DigestEvent): string {
  return `(${statusesAllowing(event).map((status) => `'${status}'`).join(", ")})`;
}

/** Records that the source was down after `attempts` requests; a later cron run tries again. Returns the requests made so far. */
export async function recordWaiting(db: D1Database, edition: string, error: string, now: number, attempts = 1): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO digests (edition, cadence, status, source_attempts, last_error, created_at, updated_at)
       VALUES (?1, ?2, 'waiting', ?5, ?3, ?4, ?4)
       ON CONFLICT (edition) DO UPDATE SET status = 'waiting', source_attempts = source_attempts + ?5,
         last_error = ?3, updated_at = ?4
       WHERE digests.status IN ${from("source_down")}
       RETURNING source_attempts`,
    )
    .bind(edition, cadenceOf(edition), error, now, attempts)
    .first<{ source_attempts: number }>();
  return row?.source_attempts ?? 0;
}

export async function recordSkipped(db: D1Database, edition: string, reason: string, now: number, attempts = 0): Promise<void> {
  await db
    .prepare(
      `INSERT INTO digests (edition, cadence, status, skip_reason, source_attempts, created_at, updated_at, completed_at)
       VALUES (?1, ?2, 'skipped', ?3, ?5, ?4, ?4, ?4)
       ON CONFLICT (edition) DO UPDATE SET status = 'skipped', skip_reason = ?3, source_attempts = source_attempts + ?5,
         updated_at = ?4, completed_at = ?4
       WHERE digests.status IN ${from("skip")}`,
    )
    .bind(edition, cadenceOf(edition), reason, now, attempts)
    .run();
}

export interface ReadyDigest {
  edition: string;
  subject: string;
  papers: Paper[];
  sample: boolean;
  /** Requests made to the papers source for this build, retries included. */
  sourceAttempts?: number;
}

/**
 * Stores a built edition, ready from `now`, atomically with the record of which papers it offers.
 * Returns false when another run got there first.
 */
export async function storeReadyDigest(db: D1Database, digest: ReadyDigest, now: number): Promise<boolean> {
  const cadence = cadenceOf(digest.edition);
  const upsert = db
    .prepare(
      `INSERT INTO digests (edition, cadence, status, subject, papers, sample, source_attempts, ready_at, created_at, updated_at)
       VALUES (?1, ?2, 'ready', ?3, ?4, ?5, ?7, ?6, ?6, ?6)
       ON CONFLICT (edition) DO UPDATE SET status = 'ready', subject = ?3, papers = ?4, sample = ?5, ready_at = ?6,
         source_attempts = source_attempts + ?7, skip_reason = NULL, last_error = NULL, updated_at = ?6, completed_at = NULL
       WHERE digests.status IN ${from("store")}`,
    )
    .bind(digest.edition, cadence, digest.subject, JSON.stringify(digest.papers), digest.sample ? 1 : 0, now, digest.sourceAttempts ?? 0);
  // Sample papers (local development) repeat every day, so they are not remembered.
  const remember = digest.sample
    ? []
    : [
        db
          .prepare(
            // "WHERE true": SQLite reads ON CONFLICT after a bare SELECT as part of a join.
            `INSERT INTO edition_papers (cadence, paper_id, edition) SELECT ?1, value, ?2 FROM json_each(?3) WHERE true
             ON CONFLICT (cadence, paper_id) DO NOTHING`,
          )
          .bind(cadence, digest.edition, JSON.stringify(digest.papers.map((paper) => paper.id))),
      ];
  const [result] = await db.batch([upsert, ...remember]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Ids among `ids` that an earlier edition of the same cadence already offered. */
export async function findOfferedPaperIds(db: D1Database, ids: string[], exceptEdition: string): Promise<Set<string>> {
  const { results } = await db
    .prepare("SELECT paper_id FROM edition_papers WHERE cadence = ?1 AND edition != ?2 AND paper_id IN (SELECT value FROM json_each(?3))")
    .bind(cadenceOf(exceptEdition), exceptEdition, JSON.stringify(ids))
    .all<{ paper_id: string }>();
  return new Set(results.map((row) => row.paper_id));
}

/**
 * The statement that records a slot's freeze, to run in one batch with its chunks and deliveries:
 * the edition moves to sending, counts what was frozen, and remembers how far its slots are done.
 */
export function frozenStatement(
  db: D1Database,
  edition: string,
  tally: { chunks: number; recipients: number; unmatched: number; missed: number; through: number; lastSlot: number },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE digests SET status = CASE WHEN ?1 > 0 OR status = 'ready' THEN 'sending' ELSE status END,
         completed_at = CASE WHEN ?1 > 0 THEN NULL ELSE completed_at END,
         chunk_count = chunk_count + ?1, recipient_count = recipient_count + ?2, unmatched_count = unmatched_count + ?3,
         missed_count = missed_count + ?4, frozen_through = MAX(COALESCE(frozen_through, 0), ?5), last_slot = ?6, updated_at = ?7
       WHERE edition = ?8 AND status IN ${from("freeze")}`,
    )
    .bind(tally.chunks, tally.recipients, tally.unmatched, tally.missed, tally.through, tally.lastSlot, now, edition);
}

/**
 * Settles the edition once every reader's morning has come (its slots are frozen through its last)
 * and no chunk is pending or sending: `sent` when every chunk went out, `sent_with_failures` when
 * some failed or their outcome is unknown. Returns the status it moved to, or null when it did not move.
 */
export async function finishIfSettled(db: D1Database, edition: string, now: number): Promise<"sent" | "sent_with_failures" | null> {
  const row = await db
    .prepare(
      `UPDATE digests SET completed_at = ?1, updated_at = ?1,
         status = CASE WHEN EXISTS (SELECT 1 FROM digest_chunks WHERE edition = ?2 AND status IN ('failed', 'unknown'))
                  THEN 'sent_with_failures' ELSE 'sent' END
       WHERE edition = ?2 AND status IN ${from("finish")} AND frozen_through >= last_slot
         AND NOT EXISTS (SELECT 1 FROM digest_chunks WHERE edition = ?2 AND status IN ('pending', 'sending'))
       RETURNING status`,
    )
    .bind(now, edition)
    .first<{ status: "sent" | "sent_with_failures" }>();
  return row?.status ?? null;
}

/** An edition never frozen while it could be sent is skipped, saying why and counting who it missed; false when it had moved on. */
export async function expireDigest(db: D1Database, edition: string, reason: string, missed: number, now: number): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE digests SET status = 'skipped', skip_reason = ?, missed_count = missed_count + ?, updated_at = ?, completed_at = ?
       WHERE edition = ? AND status IN ${from("expire")}`,
    )
    .bind(reason, missed, now, now, edition)
    .run();
  return result.meta.changes > 0;
}

/** An edition sent with failures goes back to sending when its failed or unknown chunks are re-opened. */
export async function reopenDigest(db: D1Database, edition: string, now: number): Promise<void> {
  await db
    .prepare(`UPDATE digests SET status = 'sending', completed_at = NULL, updated_at = ? WHERE edition = ? AND status IN ${from("reopen")}`)
    .bind(now, edition)
    .run();
}
