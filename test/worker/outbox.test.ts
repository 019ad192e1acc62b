import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { requestSubscription } from "../../src/subscribers/subscription";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { clearDigestState, eventually, insertSubscribers, outboxSettled, uniqueEmail } from "../support/worker/db";
import { buildToday } from "../support/worker/digest";
import { failOnce } from "../support/worker/fail-once";
import { digestDeliveries, mockCalls, mockDeliveries, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { testConfig, testServices } from "../support/worker/services";

const ALLOW = { signup: async () => true, signIn: async () => true };

beforeEach(async () => {
  await outboxSettled();
  await resetMock();
  await clearDigestState();
  await env.DB.batch(["mail_outbox", "mail_batches", "send_roles"].map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
});

describe("the transactional outbox", () => {
  it("sends a burst of sign-ups' confirmations in full batches of up to 100, not a call each", async () => {
    const deps = testServices({ config: testConfig({ RESEND_MAX_RPS: "2" }), limits: ALLOW });
    const emails = Array.from({ length: 150 }, () => uniqueEmail("burst"));
    for (const email of emails) await requestSubscription(deps, email);
    await drainQueue(deps, { copies: () => 2 }); // every signal delivered twice, in concurrent batches

    const calls = await mockCalls();
    expect(calls.map((call) => [call.path, call.status, call.recipients.length])).toEqual([
      ["/emails/batch", 200, 100],
      ["/emails/batch", 200, 50],
    ]);
    expect(countByRecipient(await mockDeliveries())).toEqual(exactlyOnce(emails));
  }, 30_000);

  it("goes before digest chunks: a confirmation asked for mid-digest takes the very next send slot", async () => {
    await insertSubscribers(1000);
    const deps = testServices({ config: testConfig({ RESEND_MAX_RPS: "5", DIGEST_SIZE: "1" }), limits: ALLOW });
    const date = await buildToday(deps);
    const sending = drainQueue(deps, { batchSize: 10 });
    await eventually(async () => (await mockCalls()).length >= 3, 10_000, "the digest to be under way");

    const email = uniqueEmail("mid-digest");
    await requestSubscription(deps, email);
    const chunksBefore = (await mockCalls()).length;
    await sending;

    const calls = await mockCalls();
    const mailCall = calls.findIndex((call) => call.recipients.includes(email));
    // At most the one chunk already waiting for its slot goes first; the other chunks wait.
    expect(mailCall).toBeLessThanOrEqual(chunksBefore + 1);
    expect(calls.slice(mailCall + 1).every((call) => call.idempotencyKey?.startsWith(`digest/${date}/`))).toBe(true);
    expect(calls.length - mailCall - 1).toBeGreaterThanOrEqual(4);
    expect(calls.every((call) => call.status === 200)).toBe(true);
    expect((await digestDeliveries(date)).length).toBe(1000);
  });

  it("sends each mail exactly once when the sender dies between Resend's answer and the ledger write", async () => {
    let failures = 0;
    const dying = testServices({ limits: ALLOW, db: failOnce(env.DB, /UPDATE mail_batches SET status = 'sent'/, () => failures++) });
    const email = uniqueEmail("crash");
    await requestSubscription(dying, email);
    await drainQueue(dying, { rounds: 1 }).catch(() => {});
    expect(failures).toBe(1);
    expect(await mockDeliveries()).toHaveLength(1); // Resend took it; the ledger does not know

    // Its lease runs out; the next sender (signalled by the cron's sweep) takes the batch over.
    const next = testServices({ limits: ALLOW, queue: dying.queue, clock: dying.clock });
    next.clock.advance(11_000);
    await next.queue.send({ kind: "mail" });
    await drainQueue(next, { copies: () => 3 });

    const calls = (await mockCalls()).filter((call) => call.recipients.includes(email));
    expect(calls.map((call) => call.status)).toEqual([200, 200]); // the retry was answered from Resend's idempotency record
    expect(calls[1]!.idempotencyKey).toBe(calls[0]!.idempotencyKey);
    expect(countByRecipient(await mockDeliveries())).toEqual(exactlyOnce([email]));
    const { results } = await env.DB.prepare("SELECT status, payload FROM mail_outbox").all();
    expect(results).toEqual([{ status: "sent", payload: null }]);
  });
});

describe("a mail batch whose sender died a day ago", () => {
  it("is not resent past Resend's Idempotency-Key window: its mail is failed, saying why", async () => {
    let failures = 0;
    const dying = testServices({ limits: ALLOW, db: failOnce(env.DB, /UPDATE mail_batches SET status = 'sent'/, () => failures++) });
    const email = uniqueEmail("day-old");
    await requestSubscription(dying, email);
    await drainQueue(dying, { rounds: 1 }).catch(() => {});
    expect(failures).toBe(1);

    const next = testServices({ limits: ALLOW, queue: dying.queue, clock: dying.clock });
    next.clock.advance(23 * 60 * 60 * 1000 + 60_000);
    await next.queue.send({ kind: "mail" });
    await drainQueue(next);

    expect((await mockCalls()).filter((call) => call.recipients.includes(email))).toHaveLength(1);
    const { results } = await env.DB.prepare("SELECT status, error, payload FROM mail_outbox").all();
    expect(results).toEqual([{ status: "failed", error: expect.stringContaining("Idempotency-Key window; not resent"), payload: null }]);
  });
});

describe("pacing from Resend's answers", () => {
  it("follows a limit lower than RESEND_MAX_RPS from the first answer on", async () => {
    await insertSubscribers(600);
    await resetMock({ rateLimitPerSecond: 2 });
    const deps = testServices({ config: testConfig({ RESEND_MAX_RPS: "10", DIGEST_SIZE: "1" }) });
    const date = await buildToday(deps);
    await drainQueue(deps);

    const calls = (await mockCalls()).filter((call) => call.idempotencyKey?.startsWith("digest/"));
    // The first calls go at the configured 10 a second until Resend's first answer says 2.
    expect(calls.filter((call) => call.status === 429).length).toBeLessThanOrEqual(2);
    const perWindow = new Map<number, number>();
    for (const call of calls.slice(3)) perWindow.set(Math.floor(call.at / 1000), (perWindow.get(Math.floor(call.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(2);
    expect((await digestDeliveries(date)).length).toBe(600);
  });
});
