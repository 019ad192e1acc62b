import type { Config } from "../config";
import { buildDigest, type BuildDeps, type BuildOutcome } from "../digest/build";
import { editionsToBuild, sendableUntil } from "../digest/editions";
import { type SweepReport, sweepDigests } from "../digest/sweep";
import { sendableEditions } from "../digest/store";
import { pruneExpiredRecords } from "../operations/prune";
import { hasUnsettledMail } from "../subscribers/outbox";
import { signalWaitingMail } from "../subscribers/outbox-sender";
import type { JobQueue } from "./messages";

const MINUTE_MS = 60 * 1000;

export interface CronReport {
  mailWaits: boolean;
  sweep: SweepReport;
  /** Editions asked to freeze the readers whose morning has come. */
  freezing: string[];
  built: BuildOutcome[];
  pruned: number | null;
}

/**
 * One run of the cron (every five minutes), at `scheduledTime`:
 * - every run: mail whose queue signal was lost goes out; editions going out are swept (`sweep.ts`);
 * - every quarter hour: each edition that may still reach someone is asked to freeze the readers
 *   whose morning has come (the work happens in the queue consumer; slots are quarter hours);
 * - at the top of each hour: editions whose build window is open are built (a source that is down
 *   is retried hourly until the deadline), and what is kept only for a while is pruned.
 */
export async function runCron(deps: BuildDeps & { config: Config; queue: JobQueue }, scheduledTime: number): Promise<CronReport> {
  const report: CronReport = { mailWaits: false, sweep: { unknownChunks: 0, redriven: [], retried: [], abandoned: [] }, freezing: [], built: [], pruned: null };
  report.mailWaits = await hasUnsettledMail(deps.db);
  if (report.mailWaits) await signalWaitingMail(deps);
  report.sweep = await sweepDigests(deps);

  const minute = Math.floor(scheduledTime / MINUTE_MS) % 60;
  if (minute < 5) {
    for (const edition of editionsToBuild(scheduledTime, deps.config.digest.deadlineHour)) report.built.push(await buildDigest(deps, edition));
    report.pruned = (await pruneExpiredRecords(deps.db, scheduledTime)).rowsChanged;
  }
  if (minute % 15 < 5) {
    // An edition built in this run has queued its own freeze.
    const justBuilt = new Set(report.built.filter((outcome) => outcome.kind === "ready").map((outcome) => outcome.edition));
    for (const digest of await sendableEditions(deps.db)) {
      if (justBuilt.has(digest.edition)) continue;
      // One last freeze after its window closes counts whoever it missed (see freeze.ts).
      if (scheduledTime >= sendableUntil(digest.edition) && (digest.frozenThrough ?? 0) >= sendableUntil(digest.edition)) continue;
      await deps.queue.send({ kind: "freeze", edition: digest.edition, at: scheduledTime });
      report.freezing.push(digest.edition);
    }
  }
  return report;
}
