/**
 * The delivery ledger: one row per chunk of a digest's recipients, and the chunk's state machine.
 * Each transition is a conditional UPDATE, so a redelivered or concurrent queue message can never
 * send a chunk that another consumer owns or has finished. Updates after the claim also match the
 * claim's attempt number: a consumer that outlived its lease cannot overwrite its successor's state.
 * Once a chunk is sent its recipients' addresses are dropped; ids and counts remain.
 *
 *   pending → sending (claimed, leased) → sent
 *                                       → pending (backing off) → …
 *                                       → failed: permanent (Resend refused it) or transient (out of
 *                                         attempts; the sweep re-opens it for a while)
 *                                       → unknown: Resend may have accepted its payload, but longer ago
 *                                         than its Idempotency-Key lasts, so only an operator may
 *                                         resend it (→ pending) or call it sent (→ sent)
 */
import { IDEMPOTENCY_SAFE_MS } from "../delivery/attempts";
import type { ChunkBoundary, Recipient } from "./recipients";

type ChunkStatus = "pending" | "sending" | "sent" | "failed" | "unknown";
export type FailureKind = "permanent" | "transient";


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
  /** When the locked payload was first handed to Resend. */
  lockedAt: number | null;
  lastError: string | null;
  sentCount: number;
  failureKind: FailureKind | null;
  retryRounds: number;
  updatedAt: number;
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
  locked_at: number | null;
  last_error: string | null;
  sent_count: number;
  failure_kind: FailureKind | null;
  retry_rounds: number;
  updated_at: number;
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
    lockedAt: row.locked_at,
    lastError: row.last_error,
    sentCount: row.sent_count,
    failureKind: row.failure_kind,
    retryRounds: row.retry_rounds,
    updatedAt: row.updated_at,
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

/**
 * Written before the call to Resend: from here on the outcome may be unknown. A payload locked
 * already (a retry after an unknown outcome) keeps the time it was first locked.
 */
export async function lockPayload(db: D1Database, chunk: Chunk, recipients: Recipient[], now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE digest_chunks SET recipients = ?1, locked_at = CASE WHEN payload_locked = 1 THEN locked_at ELSE ?2 END,
         payload_locked = 1, updated_at = ?2
       WHERE digest_date = ?3 AND chunk = ?4 AND status = 'sending' AND attempts = ?5`,
    )
    .bind(JSON.stringify(recipients), now, chunk.date, chunk.chunk, chunk.attempts)
    .run();
}

/** Whether the chunk's payload may have been accepted longer ago than its Idempotency-Key protects a resend. */
export function pastIdempotencyWindow(chunk: Pick<Chunk, "payloadLocked" | "lockedAt">, now: number): boolean {
  return chunk.payloadLocked && chunk.lockedAt !== null && now - chunk.lockedAt >= IDEMPOTENCY_SAFE_MS;
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

/** Leaves the chunk failed: a permanent failure for an operator's retry, a transient one also for the sweep's. */
export function markChunkFailed(db: D1Database, chunk: Chunk, failure: ChunkFailure & { kind: FailureKind }, now: number): Promise<void> {
  return settleUnsent(db, chunk, "failed", failure, now, failure.kind);
}

/** The consumer holding the chunk found its outcome unknown for too long: it waits for an operator. */
export function markChunkUnknown(db: D1Database, chunk: Chunk, error: string, now: number): Promise<void> {
  return settleUnsent(db, chunk, "unknown", { error, outcomeUnknown: true }, now);
}

/**
 * Ends an attempt that did not get the chunk sent. Only a payload that may have been accepted
 * stays locked, so that only the identical payload goes out under the same key; after a known
 * failure the next attempt reads the recipients again.
 */
async function settleUnsent(
  db: D1Database,
  chunk: Chunk,
  status: "pending" | "failed" | "unknown",
  failure: ChunkFailure,
  now: number,
  kind: FailureKind | null = null,
): Promise<void> {
  await db
    .prepare(
      `UPDATE digest_chunks SET status = ?, lease_until = NULL, payload_locked = ?, last_error = ?, failure_kind = ?, updated_at = ?
       WHERE digest_date = ? AND chunk = ? AND status = 'sending' AND attempts = ?`,
    )
    .bind(status, failure.outcomeUnknown ? 1 : 0, failure.error, kind, now, chunk.date, chunk.chunk, chunk.attempts)
    .run();
}

/**
 * Failed chunks back to pending, for an operator's retry (every failed chunk) or the sweep's
 * (the transient ones it names, one more retry round each); returns their numbers. Unknown chunks
 * are not among them: only `resolveUnknownChunk` moves those.
 */
export async function reopenFailedChunks(db: D1Database, date: string, now: number, only?: { transient: number[] }): Promise<number[]> {
  const which = only ? `AND failure_kind = 'transient' AND chunk IN (${only.transient.map(() => "?").join(", ")})` : "";
  if (only && only.transient.length === 0) return [];
  const { results } = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'pending', attempts = 0, failure_kind = NULL, updated_at = ?1,
         retry_rounds = retry_rounds + ${only ? 1 : 0}
       WHERE digest_date = ?2 AND status = 'failed' ${which} RETURNING chunk`,
    )
    .bind(now, date, ...(only?.transient ?? []))
    .all<{ chunk: number }>();
  return results.map((row) => row.chunk).sort((a, b) => a - b);
}

export type UnknownResolution = "resend" | "mark_sent";

/**
 * An operator's decision on an unknown chunk: resend its payload as it is (a new 23-hour window
 * starts; if Resend did accept it the first time, its readers get it twice), or record it sent (its
 * readers are counted as delivered). Null when the chunk is not unknown.
 */
export async function resolveUnknownChunk(
  db: D1Database,
  date: string,
  chunk: number,
  resolution: UnknownResolution,
  now: number,
): Promise<Chunk | null> {
  const change =
    resolution === "resend"
      ? "status = 'pending', attempts = 0, locked_at = ?1"
      : `status = 'sent', sent_count = COALESCE(json_array_length(recipients), 0), sent_at = ?1, recipients = NULL,
         payload_locked = 0, last_error = 'marked sent by an operator after: ' || COALESCE(last_error, 'an unknown outcome')`;
  const row = await db
    .prepare(`UPDATE digest_chunks SET ${change}, updated_at = ?1 WHERE digest_date = ?2 AND chunk = ?3 AND status = 'unknown' RETURNING *`)
    .bind(now, date, chunk)
    .first<ChunkRow>();
  return row ? toChunk(row) : null;
}

/** Chunks no consumer holds (pending, failed, or sending with a lapsed lease) whose outcome stayed unknown past the window. */
export async function markStaleUnknownChunks(db: D1Database, now: number): Promise<{ date: string; chunk: number }[]> {
  const { results } = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'unknown', lease_until = NULL, updated_at = ?1,
         last_error = 'outcome unknown since ' || strftime('%Y-%m-%dT%H:%M:%SZ', locked_at / 1000, 'unixepoch')
           || ', past the 24-hour Idempotency-Key window; not resent (last error: ' || COALESCE(last_error, 'none') || ')'
       WHERE payload_locked = 1 AND locked_at <= ?1 - ?2
         AND (status IN ('pending', 'failed') OR (status = 'sending' AND lease_until <= ?1))
       RETURNING digest_date AS date, chunk`,
    )
    .bind(now, IDEMPOTENCY_SAFE_MS)
    .all<{ date: string; chunk: number }>();
  return results;
}

/**
 * A digest's chunks that never went out by the end of its sending window, which no consumer holds:
 * failed (transient), so the digest can settle as sent with failures and an operator can retry them.
 */
export async function abandonUnsentChunks(db: D1Database, date: string, now: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'failed', failure_kind = 'transient', lease_until = NULL, updated_at = ?1,
         last_error = 'not sent within 23 hours of the digest going out' || COALESCE(' (last error: ' || last_error || ')', '')
       WHERE digest_date = ?2 AND payload_locked = 0 AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?1))
       RETURNING chunk`,
    )
    .bind(now, date)
    .all<{ chunk: number }>();
  return results.map((row) => row.chunk);
}

/** The chunks a digest's sweep looks at: the failed transient ones, and whether any is held or moving. */
export async function chunksForSweep(db: D1Database, date: string, now: number) {
  const [failed, activity] = await db.batch([
    db
      .prepare("SELECT * FROM digest_chunks WHERE digest_date = ? AND status = 'failed' AND failure_kind = 'transient' ORDER BY chunk")
      .bind(date),
    db
      .prepare(
        `SELECT MAX(updated_at) AS lastChange, COUNT(CASE WHEN status = 'sending' AND lease_until > ?2 THEN 1 END) AS held
         FROM digest_chunks WHERE digest_date = ?1`,
      )
      .bind(date, now),
  ]);
  const active = (activity?.results[0] ?? {}) as { lastChange: number | null; held: number };
  return { transientFailures: ((failed?.results ?? []) as ChunkRow[]).map(toChunk), lastChange: active.lastChange, held: active.held };
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
  failed: { chunk: number; attempts: number; kind: FailureKind | null; error: string | null }[];
  /** Waiting for an operator's decision (`resolveUnknownChunk`). */
  unknown: { chunk: number; recipients: number; since: string | null; error: string | null }[];
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
        `SELECT chunk, status, attempts, failure_kind, last_error, json_array_length(recipients) AS recipients, locked_at
         FROM digest_chunks WHERE digest_date = ? AND status IN ('failed', 'unknown') ORDER BY chunk LIMIT 200`,
      )
      .bind(date),
  ]);
  const byStatus: Record<ChunkStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 };
  let delivered = 0;
  let refused = 0;
  for (const row of (counts?.results ?? []) as { status: ChunkStatus; chunks: number; delivered: number | null; refused: number | null }[]) {
    byStatus[row.status] = row.chunks;
    delivered += row.delivered ?? 0;
    refused += row.refused ?? 0;
  }
  const unsettled = (failed?.results ?? []) as {
    chunk: number;
    status: ChunkStatus;
    attempts: number;
    failure_kind: FailureKind | null;
    last_error: string | null;
    recipients: number | null;
    locked_at: number | null;
  }[];
  return {
    byStatus,
    delivered,
    refused,
    failed: unsettled.filter((row) => row.status === "failed").map((row) => ({ chunk: row.chunk, attempts: row.attempts, kind: row.failure_kind, error: row.last_error })),
    unknown: unsettled
      .filter((row) => row.status === "unknown")
      .map((row) => ({ chunk: row.chunk, recipients: row.recipients ?? 0, since: row.locked_at === null ? null : new Date(row.locked_at).toISOString(), error: row.last_error })),
  };
}
