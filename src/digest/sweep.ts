/**
 * What every cron run checks about editions going out, so nothing needs an operator that a
 * machine can decide safely, and nothing is decided that a machine cannot:
 * - a chunk whose outcome stayed unknown past Resend's Idempotency-Key window is left `unknown`;
 * - an edition whose chunks have not moved for five minutes, with none held by a consumer, gets
 *   its unfinished chunks queued again (their messages were lost); a chunk still unsent 23 hours
 *   after its slot is failed instead, and the edition settles;
 * - transient failures are retried, a few rounds with growing pauses, within 23 hours of each
 *   chunk's slot, whether the edition is still going out or has settled with failures.
 * Readers whose morning has come are the freeze's business (`freeze.ts`), which every quarter-hour
 * run asks for.
 */
import { IDEMPOTENCY_SAFE_MS } from "../delivery/attempts";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { type DigestJob, queueChunks } from "./jobs";
import type { Chunk } from "./ledger";
import { abandonUnsentChunks, chunksForSweep, markStaleUnknownChunks, reopenFailedChunks } from "./ledger-repair";
import { settleDigest } from "./settle";
import { editionsGoingOut, reopenDigest } from "./store";

export interface SweepDeps {
  db: D1Database;
  clock: Clock;
  queue: Queue<DigestJob>;
  log: Logger;
}

/** Chunks unchanged this long, with no live lease, belong to nobody: their messages are gone. */
const STALLED_MS = 5 * 60 * 1000;
/** Retry rounds for a chunk's transient failures, the first after 10 minutes, each pause twice the last (10.5 h in all). */
const RETRY_ROUNDS = 6;
const FIRST_RETRY_PAUSE_MS = 10 * 60 * 1000;

export interface SweepReport {
  unknownChunks: number;
  redriven: string[];
  retried: { edition: string; chunks: number[] }[];
  abandoned: { edition: string; chunks: number[] }[];
}

export async function sweepDigests(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.clock.now();
  const report: SweepReport = { unknownChunks: 0, redriven: [], retried: [], abandoned: [] };

  const unknown = await markStaleUnknownChunks(deps.db, now);
  report.unknownChunks = unknown.length;
  for (const { edition, chunk } of unknown) deps.log.error("chunk outcome unknown, left for an operator", { edition, chunk });
  for (const edition of new Set(unknown.map((entry) => entry.edition))) await settleDigest(deps, edition, now);

  for (const { edition, status } of await editionsGoingOut(deps.db)) {
    const chunks = await chunksForSweep(deps.db, edition, now);
    // An early slot's failures are retried while later readers' mornings are still to come, too.
    const due = chunks.transientFailures.filter((chunk) => retryIsDue(chunk, now)).map((chunk) => chunk.chunk);
    const reopened = await reopenFailedChunks(deps.db, edition, now, { transient: due });
    if (reopened.length > 0) {
      if (status === "sent_with_failures") await reopenDigest(deps.db, edition, now);
      await queueChunks(deps.queue, edition, reopened);
      deps.log.warn("digest failures retried", { edition, chunks: reopened });
      report.retried.push({ edition, chunks: reopened });
    }
    if (status === "sent_with_failures") continue;
    const stalled = chunks.unfinished.length > 0 && chunks.held === 0 && (chunks.lastChange ?? 0) <= now - STALLED_MS;
    if (!stalled) continue;
    const abandoned = await abandonUnsentChunks(deps.db, edition, now);
    if (abandoned.length > 0) {
      deps.log.error("digest chunks not sent within 23 hours", { edition, chunks: abandoned });
      report.abandoned.push({ edition, chunks: abandoned });
      await settleDigest(deps, edition, now);
    }
    // The rest go back to the queue; the ledger makes a duplicate message harmless.
    const requeued = chunks.unfinished.filter((chunk) => !abandoned.includes(chunk));
    if (requeued.length === 0) continue;
    await queueChunks(deps.queue, edition, requeued);
    deps.log.warn("digest re-driven by the sweep", { edition, chunks: requeued.length });
    report.redriven.push(edition);
  }
  return report;
}

function retryIsDue(chunk: Chunk, now: number): boolean {
  return chunk.retryRounds < RETRY_ROUNDS && now - chunk.updatedAt >= FIRST_RETRY_PAUSE_MS * 2 ** chunk.retryRounds && now - chunk.slot < IDEMPOTENCY_SAFE_MS;
}
