import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { requestSubscription } from "../../src/subscribers/subscription";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { clearDigestState, insertSubscribers, outboxSettled, subscriberRow, uniqueEmail } from "../support/worker/db";
import { buildToday, ledger } from "../support/worker/digest";
import { digestDeliveries, mockCalls, mockDeliveries, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { admin } from "../support/worker/requests";
import { testConfig, testServices } from "../support/worker/services";

// Resend refuses the reserved `.invalid` domain (so does the mock), which paperboy's own rules accept.
const REFUSED = /Invalid `to` field/;

beforeEach(async () => {
  await outboxSettled();
  await resetMock();
  await clearDigestState();
});

describe("one address Resend refuses", () => {
  it("never holds back the other 99 of its chunk, and is never mailed again", async () => {
    const readers = await insertSubscribers(99);
    const [bad] = await insertSubscribers(1, { tag: "refused" });
    await env.DB.prepare("UPDATE subscribers SET email = ?, email_key = ? WHERE id = ?").bind("nobody@example.invalid", "nobody@example.invalid", bad!.id).run();
    const deps = testServices({ config: testConfig({ RESEND_MAX_RPS: "100", DIGEST_SIZE: "1" }) });
    const edition = await buildToday(deps);
    await drainQueue(deps, { copies: () => 2 });

    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect(await ledger(edition)).toMatchObject([{ status: "sent", sent_count: 99 }]);
    const refused = await env.DB.prepare("SELECT status, undeliverable_reason FROM subscribers WHERE id = ?").bind(bad!.id).first();
    expect(refused).toEqual({ status: "undeliverable", undeliverable_reason: expect.stringMatching(REFUSED) });

    const status = (await (await admin(`/admin/digests/${edition}`)).json()) as { status: string; delivered: number };
    expect(status).toMatchObject({ status: "sent", delivered: 99 });
    const stats = (await (await admin("/admin/stats")).json()) as { subscribers: Record<string, number> };
    expect(stats.subscribers.undeliverable).toBe(1);
  });

  it("on a sign-up: the confirmation is recorded as refused with Resend's reason, and signing up again sends nothing", async () => {
    const deps = testServices({ limits: { signup: async () => true, signIn: async () => true } });
    const email = `reader-${crypto.randomUUID()}@example.invalid`;
    const other = uniqueEmail("batch-mate");
    expect(await requestSubscription(deps, email)).toEqual({ kind: "accepted", suggestion: null });
    expect(await requestSubscription(deps, other)).toEqual({ kind: "accepted", suggestion: null });
    await drainQueue(deps);

    expect((await mockDeliveries()).map((delivery) => delivery.to)).toEqual([other]); // one call, its batch-mate delivered
    expect((await mockCalls()).length).toBe(1);
    const row = await subscriberRow(email);
    expect(row?.status).toBe("undeliverable");
    const mail = await env.DB.prepare("SELECT status, error, payload FROM mail_outbox WHERE subscriber_id = ?").bind(row!.id).first();
    expect(mail).toEqual({ status: "rejected", error: expect.stringMatching(REFUSED), payload: null });
    const stats = (await (await admin("/admin/stats")).json()) as { transactionalMail: unknown };
    expect(stats.transactionalMail).toEqual({ waiting: 0, oldestWaitingSince: null, last30Days: { sent: 1, refused: 1, failed: 0 } });

    deps.clock.advance(11 * 60 * 1000); // past the 10-minute window
    expect(await requestSubscription(deps, email)).toEqual({ kind: "accepted", suggestion: null });
    await drainQueue(deps);
    expect((await mockCalls()).length).toBe(1);
  });
});
