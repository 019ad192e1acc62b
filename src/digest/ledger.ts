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
import { lockedRecipients, type Member, type Recipient } from "./recipients";

export type ChunkStatus = "pending" | "sending" | "sent" | "failed" | "unknown";
export type FailureKind = "permanent" | "transient";

export interface Chunk {
  edition: string;
  chunk: number;
  /** The quarter hour whose freeze made it. */
  slot: number;
  /** Null once sent, or for a chunk from before editions. */
  members: Member[] | null;
  memberCount: number;
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

export interface ChunkRow {
  edition: string;
  chunk: number;
  slot: number;
  members: string | null;
  member_count: number;
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

export function chunkFromRow(row: ChunkRow): Chunk {
  return {
    edition: row.edition,
    chunk: row.chunk,
    slot: row.slot,
    members: row.members ? (JSON.parse(row.members) as Member[]) : null,
    memberCount: row.member_count,
    status: row.status,
    attempts: row.attempts,
    leaseUntil: row.lease_until,
    recipients: row.recipients ? lockedRecipients(row.recipients) : null,
    payloadLocked: row.payload_locked === 1,
    lockedAt: row.locked_at,
    lastError: row.last_error,
    sentCount: row.sent_count,
    failureKind: row.failure_kind,
    retryRounds: row.retry_rounds,
    updatedAt: row.updated_at,
  };
}

/**
 * The statement that creates a slot's chunks, pending, numbered from `firstChunk`: each a list of
 * members (see `recipients.ts`). One JSON parameter carries them all, so a freeze of thousands of
 * readers is a handful of statements. Numbers are unique per edition: a freeze that raced another
 * for the same numbers fails as a whole (the batch it runs in is atomic).
 */
export function insertChunksStatement(db: D1Database, edition: string, slot: number, firstChunk: number, chunks: Member[][], now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO digest_chunks (edition, chunk, slot, members, member_count, status, updated_at)
       SELECT ?1, ?2 + key, ?3, value, json_array_length(value), 'pending', ?4 FROM json_each(?5)`,
    )
    .bind(edition, firstChunk, slot, now, JSON.stringify(chunks));
}

export async function findChunk(db: D1Database, edition: string, chunk: number): Promise<Chunk | null> {
  const row = await db
    .prepare("SELECT * FROM digest_chunks WHERE edition = ? AND chunk = ?")
    .bind(edition, chunk)
    .first<ChunkRow>();
  return row ? chunkFromRow(row) : null;
}

/**
 * Takes a chunk for sending: pending chunks, and sending chunks whose previous owner's lease
 * ran out (it died or lost its connection). Returns null when someone else holds it or it is done.
 */
export async function claimChunk(
  db: D1Database,
  edition: string,
  chunk: number,
  now: number,
  leaseMs: number,
): Promise<Chunk | null> {
  const row = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'sending', attempts = attempts + 1, lease_until = ?1, updated_at = ?2
       WHERE edition = ?3 AND chunk = ?4
         AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?2))
       RETURNING *`,
    )
    .bind(now + leaseMs, now, edition, chunk)
    .first<ChunkRow>();
  return row ? chunkFromRow(row) : null;
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
       WHERE edition = ?3 AND chunk = ?4 AND status = 'sending' AND attempts = ?5`,
    )
    .bind(JSON.stringify(recipients), now, chunk.edition, chunk.chunk, chunk.attempts)
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
         last_error = NULL, sent_at = ?4, updated_at = ?4, recipients = NULL, members = NULL, payload_locked = 0
       WHERE edition = ?5 AND chunk = ?6 AND status = 'sending' AND attempts = ?7`,
    )
    .bind(JSON.stringify(result.ids), result.sentCount, result.rejectedCount, now, chunk.edition, chunk.chunk, chunk.attempts);
}

/** Keeps this consumer's claim alive while its call runs. */
export async function renewChunkLease(db: D1Database, chunk: Chunk, now: number, leaseMs: number): Promise<void> {
  await db
    .prepare("UPDATE digest_chunks SET lease_until = ? WHERE edition = ? AND chunk = ? AND status = 'sending' AND attempts = ?")
    .bind(now + leaseMs, chunk.edition, chunk.chunk, chunk.attempts)
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
       WHERE edition = ?5 AND chunk = ?6 AND status = 'sending' AND attempts = ?7 RETURNING *`,
    )
    .bind(failure.outcomeUnknown ? 1 : 0, failure.error, now + leaseMs, now, chunk.edition, chunk.chunk, chunk.attempts)
    .first<ChunkRow>();
  return row ? chunkFromRow(row) : null;
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
       WHERE edition = ? AND chunk = ? AND status = 'sending' AND attempts = ?`,
    )
    .bind(status, failure.outcomeUnknown ? 1 : 0, failure.error, kind, now, chunk.edition, chunk.chunk, chunk.attempts)
    .run();
}
