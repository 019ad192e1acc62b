import type { Config } from "../config";
import { pacedMailer } from "../delivery/pacer";
import type { Mailer } from "../delivery/mailer";
import { createOutboxMailer } from "../delivery/outbox-mailer";
import { createResendMailer } from "../delivery/resend-mailer";
import type { DigestDeps } from "../digest/deps";
import type { DigestMessage } from "../digest/messages";
import type { LifecycleDeps } from "../subscribers/subscription";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wires the real I/O behind the domain's interfaces, once per request or job. */
export function createMailer(config: Config, db: D1Database): Mailer {
  if (!config.resend) return createOutboxMailer(db);
  return pacedMailer(createResendMailer(config.resend), { db, rps: config.digest.resendMaxRps, now: Date.now, sleep });
}

export function createDeps(config: Config, env: Env): LifecycleDeps {
  return {
    db: env.DB,
    mailer: createMailer(config, env.DB),
    config,
    now: Date.now,
    allowConfirmationTo: async (emailKey) => (await env.CONFIRMATION_LIMITER.limit({ key: emailKey })).success,
    deferConfirmation: async (subscriberId) => {
      await (env.DIGEST_QUEUE as Queue<DigestMessage>).send({ kind: "confirm", subscriberIds: [subscriberId] });
    },
  };
}

/** One JSON line per event, so Workers Logs can filter on fields. */
export function log(entry: object): void {
  console.log(JSON.stringify({ level: "info", ...entry }));
}

/** `context` (e.g. a run id) is added to every log line the pipeline writes. */
export function createDigestDeps(config: Config, env: Env, context: Record<string, unknown> = {}): DigestDeps {
  return {
    db: env.DB,
    mailer: createMailer(config, env.DB),
    config,
    queue: env.DIGEST_QUEUE as Queue<DigestMessage>,
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    sleep,
    log: (entry) => log({ ...context, ...entry }),
  };
}
