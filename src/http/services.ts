import type { Config } from "../config";
import type { Mailer } from "../delivery/mailer";
import { createOutboxMailer } from "../delivery/outbox-mailer";
import { createResendMailer } from "../delivery/resend-mailer";
import type { LifecycleDeps } from "../subscribers/subscription";

/** Wires the real I/O behind the domain's interfaces, once per request or job. */
export function createMailer(config: Config, db: D1Database): Mailer {
  return config.resend ? createResendMailer(config.resend) : createOutboxMailer(db);
}

export function createDeps(config: Config, env: Env): LifecycleDeps {
  return { db: env.DB, mailer: createMailer(config, env.DB), config, now: Date.now };
}
