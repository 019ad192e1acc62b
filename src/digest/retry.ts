import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { type DigestJob, queueChunks } from "./jobs";
import { findChunk, reopenFailedChunks, resolveUnknownChunk, type UnknownResolution } from "./ledger";
import { settleDigest } from "./settle";
import { reopenDigest } from "./store";

interface RetryDeps {
  db: D1Database;
  clock: Clock;
  queue: Queue<DigestJob>;
  log: Logger;
}

/** An operator's retry: failed chunks go back to pending and are queued again; returns their numbers. Unknown ones are not retried: see `resolveUnknown`. */
export async function retryFailedChunks(deps: RetryDeps, date: string): Promise<number[]> {
  const now = deps.clock.now();
  const chunks = await reopenFailedChunks(deps.db, date, now);
  if (chunks.length > 0) {
    await reopenDigest(deps.db, date, now);
    await queueChunks(deps.queue, date, chunks);
  }
  return chunks;
}

export type ResolveOutcome =
  | { kind: "resending"; date: string; chunk: number; recipients: number }
  | { kind: "marked_sent"; date: string; chunk: number; recipients: number }
  | { kind: "not_unknown"; date: string; chunk: number; status: string | null };

/** An operator's decision on a chunk whose outcome is unknown (see the ledger): resend it anyway, or record it sent. */
export async function resolveUnknown(deps: RetryDeps, date: string, number: number, resolution: UnknownResolution): Promise<ResolveOutcome> {
  const now = deps.clock.now();
  const chunk = await resolveUnknownChunk(deps.db, date, number, resolution, now);
  if (!chunk) return { kind: "not_unknown", date, chunk: number, status: (await findChunk(deps.db, date, number))?.status ?? null };
  deps.log.warn("unknown chunk resolved by an operator", { date, chunk: number, resolution });
  if (resolution === "mark_sent") {
    await settleDigest(deps, date, now);
    return { kind: "marked_sent", date, chunk: number, recipients: chunk.sentCount };
  }
  await reopenDigest(deps.db, date, now);
  await queueChunks(deps.queue, date, [number]);
  return { kind: "resending", date, chunk: number, recipients: chunk.recipients?.length ?? 0 };
}
