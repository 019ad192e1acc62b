/**
 * The mock Resend keeps Resend's semantics, as paperboy's Resend mailer (the real SDK) sees them:
 * rate-limit headers on every answer, a one-second window, Idempotency-Key replay and 409 on a
 * changed payload, strict 422 and the permissive mode's per-index errors.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { OutgoingEmail } from "../../src/delivery/mailer";
import { createResendMailer } from "../../src/delivery/resend-mailer";
import { mockCalls, mockDeliveries, resetMock } from "../support/worker/mock";
import { testConfig } from "../support/worker/services";

const mailer = createResendMailer(testConfig().resend!);
const email = (to: string): OutgoingEmail => ({ from: "paperboy <digest@paperboy.test>", to, subject: "Hi", html: "<p>Hi</p>", text: "Hi" });
const key = () => `contract/${crypto.randomUUID()}`;

beforeEach(() => resetMock());

describe("the mock Resend", () => {
  it("states its limit, what is left of the window and when it resets, on every answer, and answers 429 past the limit", async () => {
    await resetMock({ rateLimitPerSecond: 2 });
    // Five quick calls span at most two one-second windows: at most four fit, so one is turned away.
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await mailer.sendBatch([email(`r${i}@example.com`)], { idempotencyKey: key() }));
    for (const answer of answers) expect(answer.rateLimit).toMatchObject({ limit: 2, remaining: expect.any(Number), resetSeconds: 1 });
    const limited = answers.filter((answer) => !answer.outcome.ok);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    for (const answer of limited) {
      expect(answer.outcome).toMatchObject({ ok: false, failure: { kind: "rate_limited" } });
      expect(answer.rateLimit).toMatchObject({ remaining: 0, retryAfterSeconds: 1 });
    }
  });

  it("replays an accepted call with the same key and payload, and answers 409 to the same key with another payload", async () => {
    const same = key();
    const first = await mailer.sendBatch([email("a@example.com")], { idempotencyKey: same });
    const again = await mailer.sendBatch([email("a@example.com")], { idempotencyKey: same });
    const changed = await mailer.sendBatch([email("b@example.com")], { idempotencyKey: same });
    expect(again.outcome).toEqual(first.outcome);
    expect(changed.outcome).toMatchObject({ ok: false, failure: { kind: "rejected", status: 409 } });
    expect((await mockCalls()).map((call) => call.status)).toEqual([200, 200, 409]);
  });

  it("in permissive mode sends the valid emails and returns the invalid ones by index, as the mailer always asks", async () => {
    const answer = await mailer.sendBatch([email("ok@example.com"), email("bad@example.invalid"), email("ok2@example.com")], { idempotencyKey: key() });
    expect(answer.outcome).toEqual({
      ok: true,
      ids: [expect.stringMatching(/^mock_/), null, expect.stringMatching(/^mock_/)],
      refused: [{ index: 1, message: expect.stringContaining("Invalid `to` field") }],
    });
  });

  it("takes tags of ASCII letters, digits, underscores and dashes, keeps them with each email, and refuses an email with any other", async () => {
    const tagged = (to: string, value: string): OutgoingEmail => ({ ...email(to), tags: [{ name: "edition", value }] });
    const answer = await mailer.sendBatch([tagged("daily@example.com", "2026-12-03"), tagged("weekly@example.com", "2026-W48"), tagged("odd@example.com", "3 Dec")], {
      idempotencyKey: key(),
    });
    expect(answer.outcome).toEqual({
      ok: true,
      ids: [expect.stringMatching(/^mock_/), expect.stringMatching(/^mock_/), null],
      refused: [{ index: 2, message: expect.stringContaining("Invalid `tags` value") }],
    });
    expect((await mockDeliveries()).map((delivery) => [delivery.to, delivery.tags])).toEqual([
      ["daily@example.com", [{ name: "edition", value: "2026-12-03" }]],
      ["weekly@example.com", [{ name: "edition", value: "2026-W48" }]],
    ]);
  });

  it("in strict mode refuses the whole batch with 422 when one email is invalid", async () => {
    const response = await fetch(`${testConfig().resend!.baseUrl}/emails/batch`, {
      method: "POST",
      headers: { authorization: "Bearer re_test", "content-type": "application/json", "x-batch-validation": "strict" },
      body: JSON.stringify([{ ...email("ok@example.com"), to: ["ok@example.com"] }, { ...email("bad@example.invalid"), to: ["bad@example.invalid"] }]),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("ratelimit-limit")).not.toBeNull();
    expect(await response.json()).toMatchObject({ name: "validation_error" });
  });
});
