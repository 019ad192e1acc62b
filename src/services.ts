/**
 * The composition root: the one place that turns the Worker's bindings into the services the
 * domain works with. fetch, scheduled and queue each build one `Services` per request or run;
 * handlers read from it, and tests build the same object with their own clock, queue or logger.
 */
import { createRateLimits, type RateLimits } from "./abuse/limits";
import type { Config } from "./config";
import type { Mailer } from "./delivery/mailer";
import { createOutboxMailer } from "./delivery/outbox-mailer";
import { createSendSlots, type SendSlots } from "./delivery/pacer";
import { createResendMailer } from "./delivery/resend-mailer";
import type { JobQueue } from "./jobs/messages";
import { type Clock, type Sleep, sleep, systemClock } from "./lib/clock";
import { createLogger, type LogFields, type Logger } from "./lib/logger";
import { createPapersSource, offlinePapersSource, type PapersSource } from "./papers/source";

export interface Services {
  config: Config;
  clock: Clock;
  db: D1Database;
  mailer: Mailer;
  /** The shared send budget every call to Resend takes a slot from. */
  slots: SendSlots;
  queue: JobQueue;
  log: Logger;
  papers: PapersSource;
  limits: RateLimits;
  /** Outbound HTTP (Turnstile's siteverify). */
  fetch: typeof fetch;
  sleep: Sleep;
}

/** `context` (a request id, a run id) is added to every log line written with these services. */
export function createServices(config: Config, env: Env, context: LogFields = {}): Services {
  const log = createLogger(context);
  // A Worker's fetch called as a method of another object throws "Illegal invocation".
  const fetcher: typeof fetch = (input, init) => fetch(input, init);
  return {
    config,
    clock: systemClock,
    db: env.DB,
    mailer: createMailer(config, env.DB),
    slots: createSendSlots(env.DB, config.digest.resendMaxRps, () => systemClock.now(), sleep),
    queue: env.DIGEST_QUEUE as JobQueue,
    log,
    papers: config.digest.papersSource === "sample" ? offlinePapersSource : createPapersSource({ fetch: fetcher, baseUrl: config.digest.papersApiUrl, sleep, log }),
    limits: createRateLimits(env),
    fetch: fetcher,
    sleep,
  };
}

/** Resend; without an API key, the local outbox, which takes the same batches (and slots). */
export function createMailer(config: Config, db: D1Database): Mailer {
  return config.resend ? createResendMailer(config.resend) : createOutboxMailer(db);
}
