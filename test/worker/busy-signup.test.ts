import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { pacedMailer, reserveSendSlot } from "../../src/delivery/pacer";
import { createResendMailer } from "../../src/delivery/resend-mailer";
import { requestSubscription } from "../../src/subscribers/subscription";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { testConfig, testQueue, testServices } from "../support/worker/services";

beforeEach(async () => {
  await resetMock();
  await env.DB.prepare("DELETE FROM send_pacer").run();
});

describe("the pacer's bounded wait", () => {
  it("reserves nothing when the next free slot is further away than the caller will wait", async () => {
    const now = Date.now();
    expect(await reserveSendSlot(env.DB, 1, now)).toBe(0);
    expect(await reserveSendSlot(env.DB, 1, now)).toBe(1050);
    expect(await reserveSendSlot(env.DB, 1, now, 1_000)).toBeNull();
    // The refused attempt took no slot: the next caller willing to wait gets the very next one.
    expect(await reserveSendSlot(env.DB, 1, now)).toBe(2100);
  });
});

describe("a sign-up while the send rate is busy", () => {
  it("is answered at once and its confirmation goes out through the queue", async () => {
    const config = testConfig({ RESEND_MAX_RPS: "1" });
    const queue = testQueue();
    const mailer = pacedMailer(createResendMailer(config.resend!), { db: env.DB, rps: 1, now: Date.now, sleep: async () => {} });
    // A digest (or a burst of sign-ups) has the next seconds of Resend's rate booked.
    for (let i = 0; i < 5; i++) await reserveSendSlot(env.DB, 1, Date.now());

    const email = uniqueEmail("burst");
    const started = Date.now();
    const outcome = await requestSubscription(testServices({ config, queue, mailer }), email);
    expect(outcome).toEqual({ kind: "accepted" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await acceptedSendsTo(email)).toHaveLength(0);
    expect((await subscriberRow(email))?.status).toBe("pending");

    // Once the booked slots have passed, the queue consumer sends it.
    await env.DB.prepare("DELETE FROM send_pacer").run();
    await drainQueue(testServices({ queue, config: testConfig({ RESEND_MAX_RPS: "100" }) }));
    const sends = await acceptedSendsTo(email);
    expect(sends.map((send) => send.body.subject)).toEqual(["Confirm your paperboy subscription"]);
  });
});
