import { readConfig } from "../config";
import { consumeJobs } from "../jobs/consume";
import { createLogger } from "../lib/logger";
import { createServices } from "../services";

/** Queue consumer: every message is a job for the digest pipeline or the confirmation mails. */
export async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    createLogger().error("configuration invalid, queue batch retried", { problems: config.problems });
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  await consumeJobs(batch, createServices(config.config, env, { runId: crypto.randomUUID(), queue: batch.queue }));
}
