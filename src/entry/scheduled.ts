import { readConfig } from "../config";
import { buildDigest } from "../digest/build";
import { digestDateFor } from "../digest/dates";
import { createLogger } from "../lib/logger";
import { pruneExpiredRecords } from "../operations/prune";
import { createServices } from "../services";

/** Cron: build the digest for the day that just ended. Cheap and idempotent; fan-out happens in the queue. */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    createLogger().error("configuration invalid, digest not built", { problems: config.problems });
    return;
  }
  const services = createServices(config.config, env, { runId: crypto.randomUUID(), cron: controller.cron });
  const outcome = await buildDigest(services, digestDateFor(controller.scheduledTime));
  // A sweep: mail whose signal was lost, or whose sender died, goes out now.
  await services.queue.send({ kind: "mail" });
  const pruned = await pruneExpiredRecords(services.db, controller.scheduledTime);
  services.log.info("cron finished", { ...outcome, pruned: pruned.rowsChanged });
}
