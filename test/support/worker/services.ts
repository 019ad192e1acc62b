/**
 * `Services` as production wires them (real D1, the real Resend mailer behind the D1 pacer, the
 * real papers client against the mock), with a clock, a queue and a logger the test controls.
 */
import { env } from "cloudflare:workers";
import { createRateLimits } from "../../../src/abuse/limits";
import { type Config, parseConfig } from "../../../src/config";
import type { Mailer } from "../../../src/delivery/mailer";
import { createSendSlots } from "../../../src/delivery/pacer";
import type { Job } from "../../../src/jobs/messages";
import { createLogger, type LogEntry } from "../../../src/lib/logger";
import { createPapersSource } from "../../../src/papers/source";
import { createMailer, type Services } from "../../../src/services";

/** The test configuration with some variables overridden, e.g. `testConfig({ RESEND_MAX_RPS: "100" })`. */
export function testConfig(overrides: Partial<Record<keyof Env, string>> = {}): Config {
  const result = parseConfig({ ...env, ...overrides });
  if (!result.ok) throw new Error(`test config invalid: ${result.problems.join("; ")}`);
  return result.config;
}

/** A clock that runs with real time from `start` and can be moved forward, e.g. past a lease. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  const realStart = Date.now();
  let offset = 0;
  return {
    now: () => start + (Date.now() - realStart) + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}

export interface QueuedMessage {
  id: string;
  body: Job;
  attempts: number;
  /** What the producer or the last retry asked for. */
  delaySeconds: number;
}

/** A queue that keeps what is sent to it, so a test can deliver it with `drainQueue`. */
export interface TestQueue extends Queue<Job> {
  /** Messages waiting to be delivered. */
  pending: QueuedMessage[];
  /** Every message body ever sent, in order. */
  sent: Job[];
}

export function testQueue(): TestQueue {
  let nextId = 1;
  const queue = {
    pending: [] as QueuedMessage[],
    sent: [] as Job[],
    async send(body: Job, options?: QueueSendOptions) {
      queue.pending.push({ id: `m${nextId++}`, body, attempts: 1, delaySeconds: options?.delaySeconds ?? 0 });
      queue.sent.push(body);
      return { metadata: { metrics: { backlogCount: queue.pending.length, backlogBytes: 0 } } };
    },
    async sendBatch(messages: Iterable<MessageSendRequest<Job>>, options?: QueueSendBatchOptions) {
      for (const message of messages) await queue.send(message.body, { delaySeconds: message.delaySeconds ?? options?.delaySeconds ?? 0 });
      return { metadata: { metrics: { backlogCount: queue.pending.length, backlogBytes: 0 } } };
    },
    async metrics() {
      return { backlogCount: queue.pending.length, backlogBytes: 0 };
    },
  };
  return queue;
}

export interface TestServices extends Services {
  queue: TestQueue;
  clock: TestClock;
  /** Waits the papers client asked for, in ms; nothing actually waits. */
  sleeps: number[];
  /** Every line logged, in order. */
  logs: LogEntry[];
}

/**
 * `RESEND_MAX_RPS` defaults to 100 so tests are not slowed down by pacing. Sign-ups are never
 * rate-limited unless a test passes its own `limits`.
 */
export function testServices(
  options: { config?: Config; clock?: TestClock; queue?: TestQueue; db?: D1Database; mailer?: Mailer; limits?: Services["limits"] } = {},
): TestServices {
  const config = options.config ?? testConfig({ RESEND_MAX_RPS: "100" });
  const clock = options.clock ?? testClock();
  const sleeps: number[] = [];
  const logs: LogEntry[] = [];
  const log = createLogger({}, (entry) => logs.push(entry));
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const fetcher: typeof fetch = (input, init) => fetch(input, init);
  return {
    config,
    clock,
    db: options.db ?? env.DB,
    mailer: options.mailer ?? createMailer(config, env.DB),
    // Real time and real waits: the pacer spaces real calls to the mock's real rate limit.
    slots: createSendSlots(env.DB, config.digest.resendMaxRps, Date.now, (ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    queue: options.queue ?? testQueue(),
    log,
    papers: createPapersSource({ fetch: fetcher, baseUrl: config.digest.papersApiUrl, sleep, log }),
    limits: options.limits ?? createRateLimits(env),
    fetch: fetcher,
    sleep,
    sleeps,
    logs,
  };
}
