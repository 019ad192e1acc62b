/**
 * The ledger's transitions that happen outside a send: an operator's retry and decisions, the
 * cron sweep's bounded retries and its close-out, and the tallies both read. The chunk's state
 * machine and its sending transitions are in `ledger.ts`; this is its other half.
 */
import { IDEMPOTENCY_SAFE_MS } from "../delivery/attempts";
import { type Chunk, type ChunkRow, type ChunkStatus, chunkFromRow, type FailureKind } from "./ledger";

/**
 * Failed chunks back to pending, for an operator's retry (every failed chunk) or the sweep's
 * (the transient ones it names, one more retry round each); returns their numbers. Unknown chunks
 * are not among them: only `resolveUnknownChunk` moves those.
 */
export async function reopenFailedChunks(db: D1Database, edition: string, now: number, only?: { transient: number[] }): Promise<number[]> {
  const which = only ? `AND failure_kind = 'transient' AND chunk IN (${only.transient.map(() => "?").join(", ")})` : "";
  if (only && only.transient.length === 0) return [];
  const { results } = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'pending', attempts = 0, failure_kind = NULL, updated_at = ?1,
         retry_rounds = retry_rounds + ${only ? 1 : 0}
       WHERE edition = ?2 AND status = 'failed' ${which} RETURNING chunk`,
    )
    .bind(now, edition, ...(only?.transient ?? []))
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
  edition: string,
  chunk: number,
  resolution: UnknownResolution,
  now: number,
): Promise<Chunk | null> {
  const change =
    resolution === "resend"
      ? "status = 'pending', attempts = 0, locked_at = ?1"
      : `status = 'sent', sent_count = COALESCE(json_array_length(recipients), 0), sent_at = ?1, recipients = NULL, members = NULL,
         payload_locked = 0, last_error = 'marked sent by an operator after: ' || COALESCE(last_error, 'an unknown outcome')`;
  const row = await db
    .prepare(`UPDATE digest_chunks SET ${change}, updated_at = ?1 WHERE edition = ?2 AND chunk = ?3 AND status = 'unknown' RETURNING *`)
    .bind(now, edition, chunk)
    .first<ChunkRow>();
  return row ? chunkFromRow(row) : null;
}

/** Chunks no consumer holds (pending, failed, or sending with a lapsed lease) whose outcome stayed unknown past the window. */
export async function markStaleUnknownChunks(db: D1Database, now: number): Promise<{ edition: string; chunk: number }[]> {
  const { results } = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'unknown', lease_until = NULL, updated_at = ?1,
         last_error = 'outcome unknown since ' || strftime('%Y-%m-%dT%H:%M:%SZ', locked_at / 1000, 'unixepoch')
           || ', past the 24-hour Idempotency-Key window; not resent (last error: ' || COALESCE(last_error, 'none') || ')'
       WHERE payload_locked = 1 AND locked_at <= ?1 - ?2
         AND (status IN ('pending', 'failed') OR (status = 'sending' AND lease_until <= ?1))
       RETURNING edition, chunk`,
    )
    .bind(now, IDEMPOTENCY_SAFE_MS)
    .all<{ edition: string; chunk: number }>();
  return results;
}

/**
 * An edition's chunks that never went out within 23 hours of their slot, which no consumer holds:
 * failed (transient), so the edition can settle as sent with failures and an operator can retry them.
 */
export async function abandonUnsentChunks(db: D1Database, edition: string, now: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      `UPDATE digest_chunks SET status = 'failed', failure_kind = 'transient', lease_until = NULL, updated_at = ?1,
         last_error = 'not sent within 23 hours of its slot' || COALESCE(' (last error: ' || last_error || ')', '')
       WHERE edition = ?2 AND slot <= ?1 - ?3 AND payload_locked = 0
         AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?1))
       RETURNING chunk`,
    )
    .bind(now, edition, IDEMPOTENCY_SAFE_MS)
    .all<{ chunk: number }>();
  return results.map((row) => row.chunk);
}

/**
 * What an edition's sweep looks at: its failed transient chunks still within 23 hours of their
 * slot, whether any chunk is held by a consumer, when one last changed, and which are unfinished.
 */
export async function chunksForSweep(db: D1Database, edition: string, now: number) {
  const [failed, activity, unfinished] = await db.batch([
    db
      .prepare("SELECT * FROM digest_chunks WHERE edition = ? AND status = 'failed' AND failure_kind = 'transient' AND slot > ? - ? ORDER BY chunk")
      .bind(edition, now, IDEMPOTENCY_SAFE_MS),
    db
      .prepare(
        `SELECT MAX(updated_at) AS lastChange, COUNT(CASE WHEN status = 'sending' AND lease_until > ?2 THEN 1 END) AS held
         FROM digest_chunks WHERE edition = ?1`,
      )
      .bind(edition, now),
    db.prepare("SELECT chunk FROM digest_chunks WHERE edition = ? AND status IN ('pending', 'sending') ORDER BY chunk").bind(edition),
  ]);
  const active = (activity?.results[0] ?? {}) as { lastChange: number | null; held: number };
  return {
    transientFailures: ((failed?.results ?? []) as ChunkRow[]).map(chunkFromRow),
    lastChange: active.lastChange,
    held: active.held,
    unfinished: ((unfinished?.results ?? []) as { chunk: number }[]).map((row) => row.chunk),
  };
}

export async function unfinishedChunkNumbers(db: D1Database, edition: string): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT chunk FROM digest_chunks WHERE edition = ? AND status IN ('pending', 'sending') ORDER BY chunk")
    .bind(edition)
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

export async function tallyChunks(db: D1Database, edition: string): Promise<ChunkTally> {
  const [counts, failed] = await db.batch([
    db
      .prepare(
        "SELECT status, COUNT(*) AS chunks, SUM(sent_count) AS delivered, SUM(rejected_count) AS refused FROM digest_chunks WHERE edition = ? GROUP BY status",
      )
      .bind(edition),
    db
      .prepare(
        `SELECT chunk, status, attempts, failure_kind, last_error, COALESCE(json_array_length(recipients), member_count) AS recipients, locked_at
         FROM digest_chunks WHERE edition = ? AND status IN ('failed', 'unknown') ORDER BY chunk LIMIT 200`,
      )
      .bind(edition),
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

export interface SlotTally {
  /** The slot's quarter hour, ISO 8601. */
  slot: string;
  chunks: number;
  recipients: number;
  sent: number;
  failed: number;
  /** Recipients of chunks not yet settled. */
  toGo: number;
}

/** Per send slot: its readers, and how many were sent, failed (or unknown) and are still to go. */
export async function tallySlots(db: D1Database, edition: string): Promise<SlotTally[]> {
  const { results } = await db
    .prepare(
      `SELECT slot, COUNT(*) AS chunks, SUM(member_count) AS recipients,
         SUM(CASE WHEN status = 'sent' THEN sent_count ELSE 0 END) AS sent,
         SUM(CASE WHEN status IN ('failed', 'unknown') THEN member_count ELSE 0 END) AS failed,
         SUM(CASE WHEN status IN ('pending', 'sending') THEN member_count ELSE 0 END) AS toGo
       FROM digest_chunks WHERE edition = ? GROUP BY slot ORDER BY slot`,
    )
    .bind(edition)
    .all<Omit<SlotTally, "slot"> & { slot: number }>();
  return results.map((row) => ({ ...row, slot: new Date(row.slot).toISOString() }));
}
