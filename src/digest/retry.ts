import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { type DigestJob, queueChunks } from "./jobs";
import { findChunk } from "./ledger";
import { reopenFailedChunks, resolveUnknownChunk, type UnknownResolution } from "./ledger-repair";
import { settleDigest } from "./settle";
import { reopenDigest } from "./store";

interface RetryDeps {
  db: D1Database;
  clock: Clock;
  queue: Queue<DigestJob>;
  log: Logger;
}

/** An operator's retry: failed chunks go back to pending and are queued again; returns their numbers. Unknown ones are not retried: see `resolveUnknown`. */
export async function retryFailedChunks(deps: RetryDeps, edition: string): Promise<number[]> {
  const now = deps.clock.now();
  const chunks = await reopenFailedChunks(deps.db, edition, now);
  if (chunks.length > 0) {
    await reopenDigest(deps.db, edition, now);
    await queueChunks(deps.queue, edition, chunks);
  }
  return chunks;
}

export type ResolveOutcome =
  | { kind: "resending"; edition: string; chunk: number; recipients: number }
  | { kind: "marked_sent"; edition: string; chunk: number; recipients: number }
  | { kind: "not_unknown"; edition: string; chunk: number; status: string | null };

/** An operator's decision on a chunk whose outcome is unknown (see the ledger): resend it anyway, or record it sent. */
export async function resolveUnknown(deps: RetryDeps, edition: string, number: number, resolution: UnknownResolution): Promise<ResolveOutcome> {
  const now = deps.clock.now();
  const chunk = await resolveUnknownChunk(deps.db, edition, number, resolution, now);
  if (!chunk) return { kind: "not_unknown", edition, chunk: number, status: (await findChunk(deps.db, edition, number))?.status ?? null };
  deps.log.warn("unknown chunk resolved by an operator", { edition, chunk: number, resolution });
  if (resolution === "mark_sent") {
    await settleDigest(deps, edition, now);
    return { kind: "marked_sent", edition, chunk: number, recipients: chunk.sentCount };
  }
  await reopenDigest(deps.db, edition, now);
  await queueChunks(deps.queue, edition, [number]);
  return { kind: "resending", edition, chunk: number, recipients: chunk.recipients?.length ?? 0 };
}
