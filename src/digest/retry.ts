import type { Clock } from "../lib/clock";
import { type DigestJob, queueChunks } from "./jobs";
import { reopenFailedChunks } from "./ledger";
import { reopenDigest } from "./store";

/** An operator's retry: failed chunks go back to pending and are queued again; returns their numbers. */
export async function retryFailedChunks(deps: { db: D1Database; clock: Clock; queue: Queue<DigestJob> }, date: string): Promise<number[]> {
  const now = deps.clock.now();
  const chunks = await reopenFailedChunks(deps.db, date, now);
  if (chunks.length > 0) {
    await reopenDigest(deps.db, date, now);
    await queueChunks(deps.queue, date, chunks);
  }
  return chunks;
}
