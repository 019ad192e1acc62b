import { readConfig } from "../config";
import { buildDigest } from "../digest/build";
import { digestDateFor } from "../digest/dates";
import { sweepDigests } from "../digest/sweep";
import { createLogger } from "../lib/logger";
import { pruneExpiredRecords } from "../operations/prune";
import { createServices } from "../services";
import { hasUnsettledMail, signalWaitingMail } from "../subscribers/outbox";

/** The cron in wrangler.toml that only sweeps the outbox; every other cron builds the digest too. */
export const SWEEP_CRON = "*/5 * * * *";

/**
 * Cron. The digest crons build the digest for the day that just ended (cheap and idempotent;
 * fan-out happens in the queue) and prune. Every run sweeps: mail whose signal was lost, or whose
 * sender died, goes out now, and digests going out are looked after (digest/sweep.ts).
 */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    createLogger().error("configuration invalid, cron did nothing", { problems: config.problems });
    return;
  }
  const services = createServices(config.config, env, { runId: crypto.randomUUID(), cron: controller.cron });
  const mailWaits = await hasUnsettledMail(services.db);
  if (mailWaits) await signalWaitingMail(services);
  const sweep = await sweepDigests(services);
  if (controller.cron === SWEEP_CRON) return;
  const outcome = await buildDigest(services, digestDateFor(controller.scheduledTime));
  const pruned = await pruneExpiredRecords(services.db, controller.scheduledTime);
  services.log.info("cron finished", { ...outcome, pruned: pruned.rowsChanged, mailWaits, sweep });
}
