/**
 * The delivery ledger: one row per chunk of a digest's recipients. Each transition is a
 * conditional UPDATE, so a redelivered or concurrent queue message can never send a chunk
 * that another consumer owns or has finished. Updates after the claim also match the claim's
 * attempt number: a consumer that outlived its lease cannot overwrite its successor's state.
 * Once a chunk is sent its recipients' addresses are dropped; ids and counts remain.
 */
import type { ChunkBoundary, Recipient } from "./recipients";

type ChunkStatus = "pending" | "sending" | "sent" | "failed";

export interface Chunk {
  date: string;
  chunk: number;
  afterId: number;
  lastId: number;
  status: ChunkStatus;
  attempts: number;
  leaseUntil: number | null;
  recipients: Recipient[] | null;
  payloadLocked: boolean;
  lastError: string | null;
}

interface ChunkRow {
  digest_date: string;
  chunk: number;
  after_id: number;
  last_id: number;
  status: ChunkStatus;
  attempts: number;
  lease_until: number | null;
  recipients: string | null;
  payload_locked: number;
  last_error: string | null;
}

function toChunk(row: ChunkRow): Chunk {
  return {
    date: row.digest_date,
    chunk: row.chunk,
    afterId: row.after_id,
    lastId: row.last_id,
    status: row.status,
    attempts: row.attempts,
    leaseUntil: row.lease_until,
    recipients: row.recipients ? (JSON.parse(row.recipients) as Recipient[]) : null,
    payloadLocked: row.payload_locked === 1,
    lastError: row.last_error,
  };
}

/** 5 bound parameters per chunk row; D1 allows 100 per statement. */
const CHUNK_ROWS_PER_INSERT = 20;

/**
 * The statements that create a digest's chunks, pending, from its recipients' boundaries:
 * chunk k covers ids in (boundary k-1, boundary k]. A chunk that exists already stays as it is.
 */
export function insertChunksStatements(db: D1Database, date: string, boundaries: ChunkBoundary[], now: number): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < boundaries.length; start += CHUNK_ROWS_PER_INSERT) {
    const rows = boundaries.slice(start, start + CHUNK_ROWS_PER_INSERT).map((boundary, offset) => {
      const chunk = start + offset;
      return [date, chunk, chunk === 0 ? 0 : boundaries[chunk - 1]!.id, boundary.id, now] as const;
    });
    statements.push(
      db
        .prepare(
          `INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, updated_at) VALUES
           ${rows.map(() => "(?, ?, ?, ?, 'pending', ?)").join(", ")}
           ON CONFLICT (digest_date, chunk) DO NOTHING`,
        )
        .bind(...rows.flat()),
    );
  }
  return statements;
}

export async function findChunk(db: D1Database, date: string, chunk: number): Promise<Chunk | null> {
  const row = await db
    .prepare("SELECT * FROM digest_chunks WHERE digest_date = ? AND chunk = ?")
    .bind(date, chunk)
    .first<ChunkRow>();
  return row ? toChunk(row) : null;
}

/**
 * Takes a chunk for sending: pending chunks, and sending chunks whose previous owner's lease
 * ran out (it died or lost its connection). Returns null when someone else holds it or it is done.
 */
export async function claimChunk(
  db: D1Database,
  date: string,
  chunk: number,
  now: number,
  leaseMs: number,
): Promise<Chunk | null> {
  const row = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'sending', attempts = attempts + 1, lease_until = ?1, updated_at = ?2
       WHERE digest_date = ?3 AND chunk = ?4
         AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?2))
       RETURNING *`,
    )
    .bind(now + leaseMs, now, date, chunk)
    .first<ChunkRow>();
  return row ? toChunk(row) : null;
}

/** Written before the call to Resend: from here on the outcome may be unknown. */
export async function lockPayload(db: D1Database, chunk: Chunk, recipients: Recipient[], now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE digest_chunks SET recipients = ?, payload_locked = 1, updated_at = ?
       WHERE digest_date = ? AND chunk = ? AND status = 'sending' AND attempts = ?`,
    )
    .bind(JSON.stringify(recipients), now, chunk.date, chunk.chunk, chunk.attempts)
    .run();
}

/**
 * The statement that records a chunk sent (to run in one batch with what the answer implies):
 * `sentCount` recipients accepted, `rejectedCount` refused by Resend in permissive mode.
 */
export function sentStatement(
  db: D1Database,
  chunk: Chunk,
  result: { ids: (string | null)[]; sentCount: number; rejectedCount: number },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE digest_chunks SET status = 'sent', resend_ids = ?1, sent_count = ?2, rejected_count = ?3, lease_until = NULL,
         last_error = NULL, sent_at = ?4, updated_at = ?4, recipients = NULL, payload_locked = 0
       WHERE digest_date = ?5 AND chunk = ?6 AND status = 'sending' AND attempts = ?7`,
    )
    .bind(JSON.stringify(result.ids), result.sentCount, result.rejectedCount, now, chunk.date, chunk.chunk, chunk.attempts);
}

/** Keeps this consumer's claim alive while its call runs. */
export async function renewChunkLease(db: D1Database, chunk: Chunk, now: number, leaseMs: number): Promise<void> {
  await db
    .prepare("UPDATE digest_chunks SET lease_until = ? WHERE digest_date = ? AND chunk = ? AND status = 'sending' AND attempts = ?")
    .bind(now + leaseMs, chunk.date, chunk.chunk, chunk.attempts)
    .run();
}

/**
 * One more attempt by the consumer that holds the chunk, in its next free slot: the claim stays
 * (one more attempt number); a payload that may have been accepted stays locked. Null when this
 * consumer no longer holds the chunk.
 */
export async function nextChunkAttempt(db: D1Database, chunk: Chunk, failure: ChunkFailure, now: number, leaseMs: number): Promise<Chunk | null> {
  const row = await db
    .prepare(
      `UPDATE digest_chunks SET attempts = attempts + 1, payload_locked = ?1, last_error = ?2, lease_until = ?3, updated_at = ?4
       WHERE digest_date = ?5 AND chunk = ?6 AND status = 'sending' AND attempts = ?7 RETURNING *`,
    )
    .bind(failure.outcomeUnknown ? 1 : 0, failure.error, now + leaseMs, now, chunk.date, chunk.chunk, chunk.attempts)
    .first<ChunkRow>();
  return row ? toChunk(row) : null;
}

/** Whether some consumer is sending a chunk right now (holds a live lease): it carries waiting mail at its slots. */
export async function chunkInFlight(db: D1Database, now: number): Promise<boolean> {
  const row = await db.prepare("SELECT 1 AS busy FROM digest_chunks WHERE status = 'sending' AND lease_until > ? LIMIT 1").bind(now).first();
  return row !== null;
}

export interface ChunkFailure {
  error: string;
  /** The request may have been accepted: the payload stays locked (see `settleUnsent`). */
  outcomeUnknown: boolean;
}

/** Gives the chunk back for a later attempt. */
export function releaseChunk(db: D1Database, chunk: Chunk, failure: ChunkFailure, now: number): Promise<void> {
  return settleUnsent(db, chunk, "pending", failure, now);
}

/** Leaves the chunk for an operator's retry. */
export function markChunkFailed(db: D1Database, chunk: Chunk, failure: ChunkFailure, now: number): Promise<void> {
  return settleUnsent(db, chunk, "failed", failure, now);
}

/**
 * Ends an attempt that did not get the chunk sent. Only a payload that may have been accepted
 * stays locked, so that only the identical payload goes out under the same key; after a known
 * failure the next attempt reads the recipients again.
 */
async function settleUnsent(
  db: D1Database,
  chunk: Chunk,
  status: "pending" | "failed",
  failure: ChunkFailure,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE digest_chunks SET status = ?, lease_until = NULL, payload_locked = ?, last_error = ?, updated_at = ?
       WHERE digest_date = ? AND chunk = ? AND status = 'sending' AND attempts = ?`,
    )
    .bind(status, failure.outcomeUnknown ? 1 : 0, failure.error, now, chunk.date, chunk.chunk, chunk.attempts)
    .run();
}

/** Failed chunks back to pending for an operator's retry; returns their numbers. */
export async function reopenFailedChunks(db: D1Database, date: string, now: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'pending', attempts = 0, updated_at = ?
       WHERE digest_date = ? AND status = 'failed' RETURNING chunk`,
    )
    .bind(now, date)
    .all<{ chunk: number }>();
  return results.map((row) => row.chunk).sort((a, b) => a - b);
}

export async function unfinishedChunkNumbers(db: D1Database, date: string): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT chunk FROM digest_chunks WHERE digest_date = ? AND status IN ('pending', 'sending') ORDER BY chunk")
    .bind(date)
    .all<{ chunk: number }>();
  return results.map((row) => row.chunk);
}

export interface ChunkTally {
  byStatus: Record<ChunkStatus, number>;
  delivered: number;
  /** Recipients Resend refused (permissive validation); the rest of their chunks went out. */
  refused: number;
  failed: { chunk: number; attempts: number; error: string | null }[];
}

export async function tallyChunks(db: D1Database, date: string): Promise<ChunkTally> {
  const [counts, failed] = await db.batch([
    db
      .prepare(
        "SELECT status, COUNT(*) AS chunks, SUM(sent_count) AS delivered, SUM(rejected_count) AS refused FROM digest_chunks WHERE digest_date = ? GROUP BY status",
      )
      .bind(date),
    db
      .prepare(
        "SELECT chunk, attempts, last_error FROM digest_chunks WHERE digest_date = ? AND status = 'failed' ORDER BY chunk LIMIT 100",
      )
      .bind(date),
  ]);
  const byStatus: Record<ChunkStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  let delivered = 0;
  let refused = 0;
  for (const row of (counts?.results ?? []) as { status: ChunkStatus; chunks: number; delivered: number | null; refused: number | null }[]) {
    byStatus[row.status] = row.chunks;
    delivered += row.delivered ?? 0;
    refused += row.refused ?? 0;
  }
  return {
    byStatus,
    delivered,
    refused,
    failed: ((failed?.results ?? []) as { chunk: number; attempts: number; last_error: string | null }[]).map((row) => ({
      chunk: row.chunk,
      attempts: row.attempts,
      error: row.last_error,
    })),
  };
}
