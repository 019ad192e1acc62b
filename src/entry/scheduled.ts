import { readConfig } from "../config";
import { runCron } from "../jobs/cron";
import { recordedRun } from "../jobs/recorded-run";
import { createLogger } from "../lib/logger";
import { createServices } from "../services";

/**
 * Cron, every five minutes (wrangler.toml): builds editions when their window opens, freezes the
 * readers whose morning has come every quarter hour, sweeps the outbox and the editions going out,
 * and prunes hourly; see `jobs/cron.ts`. Each step is cheap and idempotent; the fan-out work
 * happens in the queue consumer. Each run is recorded in `runs` with its report.
 */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    createLogger().error("configuration invalid, cron did nothing", { problems: config.problems });
    return;
  }
  const runId = crypto.randomUUID();
  const services = createServices(config.config, env, { runId, cron: controller.cron });
  // The instant the run acts as of: the clock, unless `npm run cron` plays time forward.
  const scheduledFor = new Date(controller.scheduledTime).toISOString();
  const report = await recordedRun(services, { id: runId, kind: "cron" }, async () => ({ scheduledFor, ...(await runCron(services, controller.scheduledTime)) }));
  services.log.info("cron finished", { ...report });
}
