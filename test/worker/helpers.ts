import { env, exports } from "cloudflare:workers";
import { inject } from "vitest";
import { type Config, parseConfig } from "../../src/config";
import type { Mailer } from "../../src/delivery/mailer";
import { consumeDigestBatch } from "../../src/delivery/queue-consumer";
import type { DigestDeps } from "../../src/digest/deps";
import type { DigestMessage } from "../../src/digest/messages";
import { createMailer } from "../../src/http/services";
import type { Delivery, MockSettings, RecordedSend, SendCall } from "../mocks/mock-types";

/** The origin the tests configure as PUBLIC_BASE_URL (see vitest.config.ts). */
export const ORIGIN = "https://paperboy.test";
export const MAIL_FROM = "paperboy <digest@paperboy.test>";

const mockUrl = inject("mockUpstreamUrl");

/** Clears what the mock Resend recorded and applies `settings` (faults, rate limits). */
export async function resetMock(settings: Partial<MockSettings> = {}): Promise<void> {
  const response = await fetch(`${mockUrl}/__mock/reset`, { method: "POST", body: JSON.stringify(settings) });
  if (!response.ok) throw new Error(`mock reset failed: ${response.status}`);
}

export interface SentEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export type Send = Omit<RecordedSend, "body"> & { body: SentEmail };

/** Every call the mock Resend received, in order. */
export async function mockSends(): Promise<Send[]> {
  return (await fetch(`${mockUrl}/__mock/sends`)).json();
}

/** Sends the mock accepted (status 200) for one recipient. */
export async function acceptedSendsTo(address: string): Promise<Send[]> {
  return (await mockSends()).filter((send) => send.status === 200 && send.body.to.includes(address));
}

/** A fresh address per test: storage is shared by all tests in a file. */
export function uniqueEmail(tag = "reader"): string {
  return `${tag}-${crypto.randomUUID()}@example.com`;
}

/** A request through the deployed Worker entry point, with the test bindings. */
export function worker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init));
}

export function subscribeJson(email: unknown): Promise<Response> {
  return worker("/subscribe", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ email }),
  });
}

export function subscribeForm(email: string): Promise<Response> {
  return worker("/subscribe", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ email }).toString(),
  });
}

/** The first absolute link to `path` in a piece of text (HTML attribute or plain text). */
export function linkIn(text: string, path: "/confirm" | "/unsubscribe"): string {
  const match = new RegExp(`${ORIGIN}${path}\\?token=[A-Za-z0-9._-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in: ${text.slice(0, 500)}`);
  return match[0];
}

/** The path and query of an absolute paperboy link, ready for `worker()`. */
export function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

export function tokenOf(link: string): string {
  return new URL(link).searchParams.get("token")!;
}

/** Signs up through the JSON API and returns the confirmation link Resend was asked to send. */
export async function signUp(email: string): Promise<string> {
  const response = await subscribeJson(email);
  if (response.status !== 202) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const sends = await acceptedSendsTo(email);
  const confirmation = sends.findLast((send) => send.body.subject === "Confirm your paperboy subscription");
  if (!confirmation) throw new Error(`no confirmation email for ${email}`);
  return linkIn(confirmation.body.text, "/confirm");
}

/** Presses the button on the confirmation page. */
export function postConfirm(token: string): Promise<Response> {
  return worker("/confirm", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ token }).toString(),
  });
}

/** Signs up and confirms; returns the unsubscribe link from the welcome email. */
export async function signUpAndConfirm(email: string): Promise<string> {
  const confirmLink = await signUp(email);
  const response = await postConfirm(tokenOf(confirmLink));
  if (response.status !== 200) throw new Error(`confirm failed: ${response.status}`);
  const welcome = (await acceptedSendsTo(email)).find((send) => send.body.subject === "Welcome to paperboy");
  if (!welcome) throw new Error(`no welcome email for ${email}`);
  return linkIn(welcome.body.text, "/unsubscribe");
}

export interface SubscriberRow {
  id: number;
  email: string;
  email_key: string;
  status: string;
  token_version: number;
  confirmation_sent_at: number | null;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

export function subscriberRow(email: string): Promise<SubscriberRow | null> {
  return env.DB.prepare("SELECT * FROM subscribers WHERE email_key = ?").bind(email.toLowerCase()).first<SubscriberRow>();
}

export async function countSubscribers(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers").first<{ n: number }>();
  return row!.n;
}

export interface HtmlForm {
  method: string;
  action: string;
  fields: Record<string, string>;
  buttons: string[];
}

/** The forms on a page, read the way a browser would submit them. */
export function formsIn(html: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs = "", inner = ""]) => ({
    method: (attribute(attrs, "method") ?? "get").toLowerCase(),
    action: attribute(attrs, "action") ?? "",
    fields: Object.fromEntries(
      [...inner.matchAll(/<input\b([^>]*)>/g)]
        .map(([, input = ""]) => [attribute(input, "name"), attribute(input, "value") ?? ""] as const)
        .filter((entry): entry is [string, string] => entry[0] !== undefined),
    ),
    buttons: [...inner.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map(([, text = ""]) => text.trim()),
  }));
}

/** Presses a form's button: POSTs its fields to its action as a browser would. */
export function submit(form: HtmlForm): Promise<Response> {
  if (form.method !== "post") throw new Error(`form method is ${form.method}`);
  return worker(form.action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams(form.fields).toString(),
  });
}

function attribute(attrs: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The text of the page's first <h1>. */
export function headingOf(html: string): string | undefined {
  const heading = /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1];
  return heading === undefined ? undefined : decodeEntities(heading.trim());
}

// ---------------------------------------------------------------------------------------------
// The digest pipeline: a clock, a queue and Resend calls that the tests control and count.

export const ADMIN_TOKEN = "test-admin-token";

/** An operator request carrying the admin token. */
export function admin(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${ADMIN_TOKEN}`);
  return worker(path, { ...init, headers });
}

/** Changes the mock's settings without clearing what it recorded. */
export async function configureMock(settings: Partial<MockSettings>): Promise<void> {
  const response = await fetch(`${mockUrl}/__mock/configure`, { method: "POST", body: JSON.stringify(settings) });
  if (!response.ok) throw new Error(`mock configure failed: ${response.status}`);
}

/** Every call the mock Resend received, without the (large) bodies. */
export async function mockCalls(): Promise<SendCall[]> {
  return (await fetch(`${mockUrl}/__mock/calls`)).json();
}

/** Digest emails the mock accepted (once per recipient per accepted call), optionally for one date. */
export async function digestDeliveries(date?: string): Promise<Delivery[]> {
  const deliveries: Delivery[] = await (await fetch(`${mockUrl}/__mock/deliveries`)).json();
  const prefix = date ? `digest/${date}/` : "digest/";
  return deliveries.filter((delivery) => delivery.idempotencyKey?.startsWith(prefix));
}

/** How many emails each address got. */
export function countByRecipient(deliveries: Delivery[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const delivery of deliveries) counts.set(delivery.to, (counts.get(delivery.to) ?? 0) + 1);
  return counts;
}

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
  body: DigestMessage;
  attempts: number;
  /** What the producer or the last retry asked for. */
  delaySeconds: number;
}

/** A queue that keeps what is sent to it, so a test can deliver it with `drainQueue`. */
export interface TestQueue extends Queue<DigestMessage> {
  /** Messages waiting to be delivered. */
  pending: QueuedMessage[];
  /** Every message body ever sent, in order. */
  sent: DigestMessage[];
}

export function testQueue(): TestQueue {
  let nextId = 1;
  const queue = {
    pending: [] as QueuedMessage[],
    sent: [] as DigestMessage[],
    async send(body: DigestMessage, options?: QueueSendOptions) {
      queue.pending.push({ id: `m${nextId++}`, body, attempts: 1, delaySeconds: options?.delaySeconds ?? 0 });
      queue.sent.push(body);
      return { metadata: { metrics: { backlogCount: queue.pending.length, backlogBytes: 0 } } };
    },
    async sendBatch(messages: Iterable<MessageSendRequest<DigestMessage>>, options?: QueueSendBatchOptions) {
      for (const message of messages) await queue.send(message.body, { delaySeconds: message.delaySeconds ?? options?.delaySeconds ?? 0 });
      return { metadata: { metrics: { backlogCount: queue.pending.length, backlogBytes: 0 } } };
    },
    async metrics() {
      return { backlogCount: queue.pending.length, backlogBytes: 0 };
    },
  };
  return queue;
}

export interface TestDigestDeps extends DigestDeps {
  queue: TestQueue;
  clock: TestClock;
  /** Waits the papers client asked for, in ms; nothing actually waits. */
  sleeps: number[];
  logs: object[];
}

/**
 * The digest pipeline's dependencies as production wires them (real D1, the real Resend mailer
 * behind the D1 pacer, the real papers client against the mock), with a queue and a clock the
 * test controls. `RESEND_MAX_RPS` defaults to 100 so tests are not slowed down by pacing.
 */
export function digestDeps(
  options: { config?: Config; clock?: TestClock; queue?: TestQueue; db?: D1Database; mailer?: Mailer } = {},
): TestDigestDeps {
  const config = options.config ?? testConfig({ RESEND_MAX_RPS: "100" });
  const clock = options.clock ?? testClock();
  const sleeps: number[] = [];
  const logs: object[] = [];
  return {
    db: options.db ?? env.DB,
    mailer: options.mailer ?? createMailer(config, env.DB),
    config,
    queue: options.queue ?? testQueue(),
    fetch: (input, init) => fetch(input, init),
    now: clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    log: (entry) => logs.push(entry),
    clock,
    sleeps,
    logs,
  };
}

export interface DrainOptions {
  /** How many copies of a message's first delivery to hand out at once (at-least-once delivery). */
  copies?: (message: QueuedMessage) => number;
  /** Messages per consumer invocation, like `max_batch_size`. */
  batchSize?: number;
  /** Deliver only these; the others stay queued. */
  only?: (message: QueuedMessage) => boolean;
  /** Stop quietly after this many rounds, leaving retried messages queued. */
  rounds?: number;
  /** Fail when the queue is not empty after this many rounds. */
  maxRounds?: number;
}

export interface DrainStats {
  rounds: number;
  deliveries: number;
  retries: number;
}

/**
 * Delivers `deps.queue` the way Cloudflare Queues would until it is empty: every round hands all
 * waiting messages to `consumeDigestBatch` in concurrent batches (copies of one message land in
 * different batches), puts retried and unacked messages back with one more attempt, and moves the
 * clock on by the longest delay asked for.
 */
export async function drainQueue(deps: TestDigestDeps, options: DrainOptions = {}): Promise<DrainStats> {
  const { copies = () => 1, batchSize = 10, maxRounds = 200, only = () => true, rounds = Infinity } = options;
  const queue = deps.queue;
  const stats: DrainStats = { rounds: 0, deliveries: 0, retries: 0 };
  for (;;) {
    const due = queue.pending.filter(only);
    if (due.length === 0 || stats.rounds >= rounds) return stats;
    if (stats.rounds++ >= maxRounds) throw new Error(`queue not drained after ${maxRounds} rounds: ${JSON.stringify(due.slice(0, 5))}`);
    queue.pending = queue.pending.filter((message) => !due.includes(message));
    deps.clock.advance(Math.max(...due.map((message) => message.delaySeconds)) * 1000);
    const copiesOf = due.map((message) => (message.attempts === 1 ? copies(message) : 1));
    const deliveries = Array.from({ length: Math.max(...copiesOf) }, (_, copy) => due.filter((_, index) => copy < copiesOf[index]!)).flat();
    stats.deliveries += deliveries.length;
    const batches: QueuedMessage[][] = [];
    for (let start = 0; start < deliveries.length; start += batchSize) batches.push(deliveries.slice(start, start + batchSize));
    await Promise.all(
      batches.map(async (messages) => {
        const { batch, outcomes } = messageBatch(messages);
        await consumeDigestBatch(batch, deps);
        messages.forEach((message, index) => {
          const outcome = outcomes[index]!;
          if (outcome.acked && !outcome.retried) return;
          stats.retries += 1;
          queue.pending.push({ ...message, attempts: message.attempts + 1, delaySeconds: outcome.delaySeconds ?? 0 });
        });
      }),
    );
  }
}

interface Outcome {
  acked: boolean;
  retried: boolean;
  delaySeconds?: number;
}

function messageBatch(messages: QueuedMessage[]): { batch: MessageBatch<unknown>; outcomes: Outcome[] } {
  const outcomes: Outcome[] = messages.map(() => ({ acked: false, retried: false }));
  const batch: MessageBatch<unknown> = {
    queue: "paperboy-digest",
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    messages: messages.map((message, index) => ({
      id: message.id,
      timestamp: new Date(),
      body: structuredClone(message.body),
      attempts: message.attempts,
      ack: () => {
        outcomes[index]!.acked = true;
      },
      retry: (options?: QueueRetryOptions) => {
        outcomes[index] = { acked: false, retried: true, delaySeconds: options?.delaySeconds };
      },
    })),
    ackAll: () => outcomes.forEach((outcome) => (outcome.acked = true)),
    retryAll: (options?: QueueRetryOptions) =>
      outcomes.forEach((_, index) => (outcomes[index] = { acked: false, retried: true, delaySeconds: options?.delaySeconds })),
  };
  return { batch, outcomes };
}

export interface TestSubscriber {
  id: number;
  email: string;
}

/** Inserts `count` subscribers directly, active since `confirmedAt` (default: long ago), or in another status. */
export async function insertSubscribers(
  count: number,
  options: { confirmedAt?: number; status?: "active" | "pending" | "unsubscribed"; tag?: string } = {},
): Promise<TestSubscriber[]> {
  const { confirmedAt = Date.parse("2025-01-01T00:00:00Z"), status = "active", tag = "reader" } = options;
  const run = crypto.randomUUID().slice(0, 8);
  const emails = Array.from({ length: count }, (_, index) => `${tag}-${run}-${index}@example.com`);
  const statements: D1PreparedStatement[] = [];
  // 7 bound parameters per row; D1 allows 100 per statement.
  for (let start = 0; start < emails.length; start += 14) {
    const rows = emails.slice(start, start + 14);
    statements.push(
      env.DB.prepare(
        `INSERT INTO subscribers (email, email_key, status, created_at, updated_at, confirmed_at, unsubscribed_at) VALUES
         ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      ).bind(
        ...rows.flatMap((email) => [
          email,
          email,
          status,
          confirmedAt - 1000,
          confirmedAt,
          status === "pending" ? null : confirmedAt,
          status === "unsubscribed" ? confirmedAt : null,
        ]),
      ),
    );
  }
  if (statements.length > 0) await env.DB.batch(statements);
  const { results } = await env.DB.prepare(`SELECT id, email FROM subscribers WHERE email LIKE ? ORDER BY id`)
    .bind(`${tag}-${run}-%`)
    .all<TestSubscriber>();
  return results;
}

/** Empties the digest tables and the subscribers: storage is shared by every test in a file. */
export async function clearDigestState(): Promise<void> {
  await env.DB.batch(
    ["digest_chunks", "sent_papers", "digests", "send_pacer", "subscribers"].map((table) => env.DB.prepare(`DELETE FROM ${table}`)),
  );
}

/** Waits until `check` returns something truthy, polling; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
