import { readConfig } from "./config";
import { buildDigest } from "./digest/build";
import { digestDateFor } from "./digest/dates";
import { createDigestDeps, log } from "./http/services";
import { pruneExpiredRecords } from "./operations/prune";
import { consumeDigestBatch } from "./delivery/queue-consumer";

/** Cron: build the digest for the day that just ended. Cheap and idempotent; fan-out happens in the queue. */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    log({ level: "error", message: "configuration invalid, digest not built", problems: config.problems });
    return;
  }
  const runId = crypto.randomUUID();
  const date = digestDateFor(controller.scheduledTime);
  const outcome = await buildDigest(createDigestDeps(config.config, env, { runId, cron: controller.cron }), date);
  const pruned = await pruneExpiredRecords(env.DB, controller.scheduledTime);
  log({ message: "cron finished", runId, cron: controller.cron, ...outcome, pruned: pruned.rowsChanged });
}

export async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    log({ level: "error", message: "configuration invalid, queue batch retried", problems: config.problems });
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  await consumeDigestBatch(batch, createDigestDeps(config.config, env, { runId: crypto.randomUUID(), queue: batch.queue }));
}
