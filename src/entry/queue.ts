import { readConfig } from "../config";
import { consumeJobs } from "../jobs/consume";
import { recordedRun } from "../jobs/recorded-run";
import { createLogger } from "../lib/logger";
import { createServices } from "../services";

/** Queue consumer: every message is a job for the digest pipeline or the confirmation mails. Each batch is recorded in `runs`. */
export async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    createLogger().error("configuration invalid, queue batch retried", { problems: config.problems });
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  const runId = crypto.randomUUID();
  const services = createServices(config.config, env, { runId, queue: batch.queue });
  await recordedRun(services, { id: runId, kind: "queue" }, () => consumeJobs(batch, services));
}
