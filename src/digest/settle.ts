import type { Logger } from "../lib/logger";
import { tallyChunks } from "./ledger-repair";
import { finishIfSettled } from "./store";

/**
 * Settles the edition once every reader's slot is frozen and its chunks are, and says how it ended: one info line when everything
 * went out, one error line (the one to alert on) when some chunks failed or their outcome is unknown.
 * Returns the status it moved to, or null when it did not move.
 */
export async function settleDigest(deps: { db: D1Database; log: Logger }, edition: string, now: number): Promise<"sent" | "sent_with_failures" | null> {
  const status = await finishIfSettled(deps.db, edition, now);
  if (status === "sent") deps.log.info("digest sent", { edition });
  if (status !== "sent_with_failures") return status;
  const tally = await tallyChunks(deps.db, edition);
  deps.log.error("digest sent with failures", {
    edition,
    delivered: tally.delivered,
    failedChunks: tally.failed.map(({ chunk, kind, error }) => ({ chunk, kind, error })),
    unknownChunks: tally.unknown.map(({ chunk, error }) => ({ chunk, error })),
  });
  return status;
}
