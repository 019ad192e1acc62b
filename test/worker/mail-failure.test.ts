import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { requestSubscription } from "../../src/subscribers/subscription";
import { outboxSettled, subscriberRow, uniqueEmail } from "../support/worker/db";
import { headingOf } from "../support/worker/forms";
import { acceptedSendsTo, configureMock, mockCalls, mockDeliveries, resetMock } from "../support/worker/mock";
import { testQueue, testServices } from "../support/worker/services";
import { admin, linkIn, oneClickUnsubscribe, postConfirm, signUpAndConfirm, subscribeForm, subscribeJson, tokenOf } from "../support/worker/requests";

const CONFIRM = "Confirm your paperboy subscription";
const WELCOME = "Welcome to paperboy";

beforeEach(async () => {
  await outboxSettled();
  await resetMock();
});

describe("when Resend cannot take the mail", () => {
  it.each([
    ["answers 500", ["500"]],
    ["answers 500 twice", ["500", "500"]],
    ["drops the connection", ["drop"]],
    ["drops the connection after accepting", ["drop-after-accept"]],
    ["answers 429", ["429"]],
  ] as const)("a sign-up is answered at once when Resend %s, and the confirmation arrives exactly once", async (_name, faults) => {
    await resetMock({ scriptedFaults: [...faults] });
    const email = uniqueEmail();

    const response = await subscribeJson(email);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "pending" });

    const confirmations = (await acceptedSendsTo(email)).filter((send) => send.body.subject === CONFIRM);
    // Retried in the next free slots under one key: a copy Resend had accepted is not sent twice.
    expect(confirmations.length).toBeGreaterThanOrEqual(1);
    expect((await mockDeliveries()).filter((delivery) => delivery.to === email)).toHaveLength(1);
    expect(new Set(confirmations.map((send) => send.idempotencyKey)).size).toBe(1);
    const statuses = (await mockCalls()).map((call) => call.status);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.length).toBe(faults.length + 1);
  });

  it("a browser sign-up shows the same page while Resend is down, and the mail follows", async () => {
    await resetMock({ scriptedFaults: ["500", "500"] });
    const email = uniqueEmail();
    const response = await subscribeForm(email);
    expect(response.status).toBe(200);
    expect(headingOf(await response.text())).toBe("Check your inbox");
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual([CONFIRM]);
  });

  it("someone who unsubscribed and signs up again is pending at once and gets the link once Resend answers", async () => {
    const email = uniqueEmail();
    const link = await signUpAndConfirm(email);
    expect((await oneClickUnsubscribe(link)).status).toBe(200);

    await resetMock({ scriptedFaults: ["500"] });
    expect((await subscribeJson(email)).status).toBe(202);
    expect((await subscriberRow(email))!.status).toBe("pending");
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual([CONFIRM]);
  });

  it("a confirmation stands while the welcome email waits for Resend, and the welcome follows", async () => {
    const email = uniqueEmail();
    expect((await subscribeJson(email)).status).toBe(202);
    const [confirmation] = await acceptedSendsTo(email);

    await resetMock({ scriptedFaults: ["500"] });
    const confirmed = await postConfirm(tokenOf(linkIn(confirmation!.body.text, "/confirm")));
    expect(confirmed.status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("active");
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual([WELCOME]);
  });
});

describe("nobody waits for Resend", () => {
  it("signing up and confirming answer in well under a second while Resend takes three to answer", async () => {
    await configureMock({ scriptedFaults: ["slow", "slow"], faults: { slowMs: 3_000 } });
    const email = uniqueEmail();

    let started = Date.now();
    expect((await subscribeJson(email)).status).toBe(202);
    expect(Date.now() - started).toBeLessThan(1_000);

    // The confirmation is in the outbox, written with the sign-up; the slow call is still under way.
    const row = await subscriberRow(email);
    const queued = await env.DB.prepare("SELECT kind, status FROM mail_outbox WHERE subscriber_id = ?").bind(row!.id).all();
    expect(queued.results).toEqual([{ kind: "confirm", status: expect.stringMatching(/^(pending|sending)$/) }]);
    // The operator sees it waiting.
    const stats = (await (await admin("/admin/stats")).json()) as { transactionalMail: { waiting: number; oldestWaitingSince: string | null } };
    expect(stats.transactionalMail.waiting).toBe(1);
    expect(Date.parse(stats.transactionalMail.oldestWaitingSince!)).toBeLessThanOrEqual(Date.now());

    const [confirmation] = await acceptedSendsTo(email);
    started = Date.now();
    expect((await postConfirm(tokenOf(linkIn(confirmation!.body.text, "/confirm")))).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual([CONFIRM, WELCOME]);
  }, 20_000);
});

describe("when the queue cannot take the signal", () => {
  it("the sign-up is still accepted, and the five-minute sweep sends the mail", async () => {
    const unreachable = { ...testQueue(), send: async () => Promise.reject(new Error("Queue send failed: internal error")) };
    const deps = testServices({ limits: { signup: async () => true, signIn: async () => true }, queue: unreachable });
    const email = uniqueEmail("lost-signal");
    expect(await requestSubscription(deps, email)).toEqual({ kind: "accepted", suggestion: null });
    expect(deps.logs).toContainEqual(expect.objectContaining({ level: "warn", message: "mail signal not sent, the sweep will send the mail" }));

    // A run at seven past the hour only sweeps (the build runs at the top of the hour).
    const sevenPast = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 7 * 60_000;
    await worker.scheduled(createScheduledController({ scheduledTime: sevenPast, cron: "*/5 * * * *" }), env);
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual([CONFIRM]);
    // The sweep only sweeps: no digest was built.
    expect(await env.DB.prepare("SELECT COUNT(*) AS digests FROM digests").first()).toEqual({ digests: 0 });
  });
});
