import { readConfig } from "../config";
import { runCron } from "../jobs/cron";
import { createLogger } from "../lib/logger";
import { createServices } from "../services";

/**
 * Cron, every five minutes (wrangler.toml): builds editions when their window opens, freezes the
 * readers whose morning has come every quarter hour, sweeps the outbox and the editions going out,
 * and prunes hourly; see `jobs/cron.ts`. Each step is cheap and idempotent; the fan-out work
 * happens in the queue consumer.
 */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = readConfig(env);
  if (!config.ok) {
    createLogger().error("configuration invalid, cron did nothing", { problems: config.problems });
    return;
  }
  const services = createServices(config.config, env, { runId: crypto.randomUUID(), cron: controller.cron });
  const report = await runCron(services, controller.scheduledTime);
  services.log.info("cron finished", { ...report });
}
