import { unfinishedChunkNumbers } from "../delivery/ledger";
import type { DigestDeps } from "./deps";
import type { DigestMessage } from "./messages";
import { findDigest } from "./store";

export const CHUNK_SIZE = 100;
/** Queue.sendBatch takes at most 100 messages. */
const QUEUE_BATCH = 100;
/** 5 bound parameters per chunk row; D1 allows 100 per statement. */
const CHUNK_ROWS_PER_INSERT = 20;

interface Boundary {
  id: number;
  position: number;
}

/**
 * Splits a ready digest's recipients into chunks of at most 100 and queues one message per
 * chunk. Recipients are the subscribers active at the digest's freeze time; a chunk covers
 * an id range, so its members are fixed except for people who leave before it goes out.
 *
 * Runs in the queue consumer (not the cron) because it is the only step whose cost grows
 * with the list. Redelivery is harmless: chunks are inserted once and re-queued chunks are
 * claimed through the ledger.
 */
export async function fanOutDigest(deps: DigestDeps, date: string): Promise<void> {
  const digest = await findDigest(deps.db, date);
  if (!digest || (digest.status !== "ready" && digest.status !== "sending")) return;

  if (digest.status === "ready") {
    const boundaries = await chunkBoundaries(deps.db, digest.frozenAt!);
    const now = deps.now();
    const statements: D1PreparedStatement[] = [];
    for (let start = 0; start < boundaries.length; start += CHUNK_ROWS_PER_INSERT) {
      const rows = boundaries.slice(start, start + CHUNK_ROWS_PER_INSERT).map((boundary, offset) => {
        const chunk = start + offset;
        return [date, chunk, chunk === 0 ? 0 : boundaries[chunk - 1]!.id, boundary.id, now] as const;
      });
      statements.push(
        deps.db
          .prepare(
            `INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, updated_at) VALUES
             ${rows.map(() => "(?, ?, ?, ?, 'pending', ?)").join(", ")}
             ON CONFLICT (digest_date, chunk) DO NOTHING`,
          )
          .bind(...rows.flat()),
      );
    }
    const recipients = boundaries.at(-1)?.position ?? 0;
    const status = boundaries.length === 0 ? "sent" : "sending";
    statements.push(
      deps.db
        .prepare(
          `UPDATE digests SET status = ?, chunk_count = ?, recipient_count = ?, updated_at = ?,
             completed_at = CASE WHEN ? = 'sent' THEN ? ELSE NULL END
           WHERE date = ? AND status = 'ready'`,
        )
        .bind(status, boundaries.length, recipients, now, status, now, date),
    );
    // One atomic batch: either every chunk row exists and the digest says so, or nothing changed.
    await deps.db.batch(statements);
    deps.log({ message: "digest fanned out", date, chunks: boundaries.length, recipients });
  }

  const chunks = await unfinishedChunkNumbers(deps.db, date);
  for (let start = 0; start < chunks.length; start += QUEUE_BATCH) {
    const messages = chunks
      .slice(start, start + QUEUE_BATCH)
      .map((chunk): { body: DigestMessage } => ({ body: { kind: "chunk", date, chunk } }));
    await deps.queue.sendBatch(messages);
  }
}

/**
 * The last subscriber id of every 100th recipient (and of the last one), in one query over
 * the (status, id) index: chunk k covers ids in (boundary k-1, boundary k].
 */
async function chunkBoundaries(db: D1Database, frozenAt: number): Promise<Boundary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, position FROM (
         SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position, COUNT(*) OVER () AS total
         FROM subscribers WHERE status = 'active' AND confirmed_at <= ?1
       ) WHERE position % ?2 = 0 OR position = total ORDER BY id`,
    )
    .bind(frozenAt, CHUNK_SIZE)
    .all<Boundary>();
  return results;
}
