/**
 * What every cron run checks about digests going out, so nothing needs an operator that a
 * machine can decide safely, and nothing is decided that a machine cannot:
 * - a chunk whose outcome stayed unknown past Resend's Idempotency-Key window is left `unknown`;
 * - a digest whose chunks have not moved for five minutes, with none held by a consumer, is
 *   re-driven (its queue messages were lost, or the cron's last run is over) while it is less
 *   than 23 hours into sending; after that, what never went out is failed and the digest settles
 *   (or, never fanned out, is skipped);
 * - transient failures of a digest sent with failures are retried, a few rounds with growing pauses,
 *   within the same 23 hours.
 */
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { type DigestJob, queueChunks } from "./jobs";
import { IDEMPOTENCY_SAFE_MS } from "../delivery/attempts";
import { abandonUnsentChunks, type Chunk, chunksForSweep, markStaleUnknownChunks, reopenFailedChunks } from "./ledger";
import { settleDigest } from "./settle";
import type { DigestStatus } from "./lifecycle";
import { digestsInFlight, expireDigest, reopenDigest } from "./store";

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
  retried: { date: string; chunks: number[] }[];
  abandoned: { date: string; chunks: number[] }[];
}

export async function sweepDigests(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.clock.now();
  const report: SweepReport = { unknownChunks: 0, redriven: [], retried: [], abandoned: [] };

  const unknown = await markStaleUnknownChunks(deps.db, now);
  report.unknownChunks = unknown.length;
  for (const { date, chunk } of unknown) deps.log.error("chunk outcome unknown, left for an operator", { date, chunk });
  for (const date of new Set(unknown.map((entry) => entry.date))) await settleDigest(deps, date, now);

  for (const digest of await digestsInFlight(deps.db, now, IDEMPOTENCY_SAFE_MS)) {
    const withinWindow = now - digest.frozenAt < IDEMPOTENCY_SAFE_MS;
    const chunks = await chunksForSweep(deps.db, digest.date, now);
    if (digest.status === "sent_with_failures") {
      const due = chunks.transientFailures.filter((chunk) => retryIsDue(chunk, now)).map((chunk) => chunk.chunk);
      const reopened = await reopenFailedChunks(deps.db, digest.date, now, { transient: due });
      if (reopened.length === 0) continue;
      await reopenDigest(deps.db, digest.date, now);
      await queueChunks(deps.queue, digest.date, reopened);
      deps.log.warn("digest failures retried", { date: digest.date, chunks: reopened });
      report.retried.push({ date: digest.date, chunks: reopened });
      continue;
    }
    const stalled = chunks.held === 0 && Math.max(chunks.lastChange ?? 0, digest.updatedAt) <= now - STALLED_MS;
    if (!stalled) continue;
    if (!withinWindow && (await closeOut(deps, digest, now, report))) continue;
    // Whatever is still unsettled (a fan-out never done, chunks never sent, payloads within their
    // window) goes back to the queue; the ledger makes a duplicate message harmless.
    await deps.queue.send({ kind: "fanout", date: digest.date });
    deps.log.warn("digest re-driven by the sweep", { date: digest.date, status: digest.status });
    report.redriven.push(digest.date);
  }
  return report;
}

/**
 * Past its window: a digest never fanned out is skipped; chunks never sent are failed (an operator
 * may still retry them) and the digest settles. True when nothing is left to re-drive; chunks whose
 * payload is within its own Idempotency-Key window are still re-driven.
 */
async function closeOut(deps: SweepDeps, digest: { date: string; status: DigestStatus }, now: number, report: SweepReport): Promise<boolean> {
  if (digest.status === "ready") {
    const expired = await expireDigest(deps.db, digest.date, "not sent out within 23 hours of being built", now);
    if (expired) deps.log.error("digest expired before it went out", { date: digest.date });
    return true;
  }
  const abandoned = await abandonUnsentChunks(deps.db, digest.date, now);
  if (abandoned.length > 0) {
    deps.log.error("digest chunks not sent within 23 hours", { date: digest.date, chunks: abandoned });
    report.abandoned.push({ date: digest.date, chunks: abandoned });
  }
  return (await settleDigest(deps, digest.date, now)) !== null;
}

function retryIsDue(chunk: Chunk, now: number): boolean {
  return chunk.retryRounds < RETRY_ROUNDS && now - chunk.updatedAt >= FIRST_RETRY_PAUSE_MS * 2 ** chunk.retryRounds;
}
