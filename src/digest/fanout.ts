import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { type DigestJob, queueChunks } from "./jobs";
import { insertChunksStatements, unfinishedChunkNumbers } from "./ledger";
import { chunkBoundaries } from "./recipients";
import { fannedOutStatement, findDigest } from "./store";

/** Recipients per chunk: one Resend batch call takes at most 100 emails. */
const CHUNK_SIZE = 100;

export interface FanOutDeps {
  db: D1Database;
  clock: Clock;
  queue: Queue<DigestJob>;
  log: Logger;
}

/**
 * Splits a ready digest's recipients into chunks of at most 100 and queues one message per
 * chunk. A chunk covers an id range, so its members are fixed except for people who leave
 * before it goes out.
 *
 * Runs in the queue consumer (not the cron) because it is the only step whose cost grows
 * with the list. Redelivery is harmless: chunks are inserted once and re-queued chunks are
 * claimed through the ledger.
 */
export async function fanOutDigest(deps: FanOutDeps, date: string): Promise<void> {
  const digest = await findDigest(deps.db, date);
  if (!digest || (digest.status !== "ready" && digest.status !== "sending")) return;

  if (digest.status === "ready") {
    const boundaries = await chunkBoundaries(deps.db, digest.frozenAt!, CHUNK_SIZE);
    const tally = { chunks: boundaries.length, recipients: boundaries.at(-1)?.position ?? 0 };
    const now = deps.clock.now();
    // One atomic batch: either every chunk row exists and the digest says so, or nothing changed.
    await deps.db.batch([...insertChunksStatements(deps.db, date, boundaries, now), fannedOutStatement(deps.db, date, tally, now)]);
    deps.log.info("digest fanned out", { date, ...tally });
  }
  await queueChunks(deps.queue, date, await unfinishedChunkNumbers(deps.db, date));
}
