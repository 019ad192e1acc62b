/**
 * A digest says what happened to it: sent with failures when some chunks failed, `unknown` for a
 * chunk whose outcome stayed unknown past Resend's 24-hour Idempotency-Key window (an operator
 * decides), and the cron's sweep re-drives what is stuck and retries transient failures, within
 * 23 hours. The clock is the test's, so a day passes in a line.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sweepDigests } from "../../src/digest/sweep";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { clearDigestState, eventually, insertSubscribers } from "../support/worker/db";
import { buildToday, ledger } from "../support/worker/digest";
import { failOnce } from "../support/worker/fail-once";
import { configureMock, digestDeliveries, mockCalls, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { admin } from "../support/worker/requests";
import { type TestServices, testServices } from "../support/worker/services";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

beforeEach(async () => {
  await resetMock();
  await clearDigestState();
});

async function digestStatus(date: string) {
  return (await admin(`/admin/digests/${date}`)).json<{
    status: string;
    delivered: number;
    chunks: Record<string, number>;
    failedChunks: { chunk: number; kind: string; error: string }[];
    unknownChunks: { chunk: number; recipients: number; since: string; error: string }[];
  }>();
}

const errorsLogged = (deps: TestServices, message: string) => deps.logs.filter((entry) => entry.level === "error" && entry.message === message);

/** A digest whose only chunk Resend accepted while the consumer died before writing it down: its outcome is unknown. */
async function acceptedButNotRecorded() {
  const readers = await insertSubscribers(5);
  const dying = testServices({ db: failOnce(env.DB, /^UPDATE digest_chunks SET status = 'sent'/, () => {}) });
  const date = await buildToday(dying);
  await drainQueue(dying, { rounds: 2 }).catch(() => {});
  expect(countByRecipient(await digestDeliveries(date))).toEqual(exactlyOnce(readers)); // Resend has it; the ledger does not know
  expect(await ledger(date)).toMatchObject([{ status: "sending", payload_locked: 1 }]);
  // The next consumer shares the queue (its message is still there) and the clock.
  const next = testServices({ queue: dying.queue, clock: dying.clock });
  return { readers, date, next };
}

describe("an outcome unknown for longer than Resend keeps its Idempotency-Key", () => {
  it("is not resent: the chunk is left unknown for an operator, and the digest says it was sent with failures", async () => {
    const { date, next } = await acceptedButNotRecorded();
    next.clock.advance(23 * HOUR + MINUTE);
    await drainQueue(next);

    expect((await mockCalls()).length).toBe(1); // no second call: after 24 h Resend could deliver it again
    const status = await digestStatus(date);
    expect(status).toMatchObject({ status: "sent_with_failures", delivered: 0, chunks: { unknown: 1, sent: 0 } });
    expect(status.unknownChunks).toEqual([
      { chunk: 0, recipients: 5, since: expect.any(String), error: expect.stringMatching(/^outcome unknown since .*Idempotency-Key window; not resent/) },
    ]);
    expect(errorsLogged(next, "chunk outcome unknown, left for an operator")).toHaveLength(1);
    expect(errorsLogged(next, "digest sent with failures")).toHaveLength(1);
    const stats = await (await admin("/admin/stats")).json<{ digests: { date: string; status: string; unknown: number; failed: number }[] }>();
    expect(stats.digests.find((digest) => digest.date === date)).toMatchObject({ status: "sent_with_failures", unknown: 5, failed: 0 });
  });

  it("is still resent byte for byte within 23 hours, and Resend's record answers it", async () => {
    const { readers, date, next } = await acceptedButNotRecorded();
    next.clock.advance(22 * HOUR);
    await drainQueue(next);

    const calls = await mockCalls();
    expect(calls.map((call) => call.status)).toEqual([200, 200]);
    expect(calls[1]!.idempotencyKey).toBe(calls[0]!.idempotencyKey);
    expect(countByRecipient(await digestDeliveries(date))).toEqual(exactlyOnce(readers));
    expect(await digestStatus(date)).toMatchObject({ status: "sent", delivered: 5 });
  });

  it("is found by the cron's sweep even when no message is left to deliver", async () => {
    const { date, next } = await acceptedButNotRecorded();
    next.queue.pending = [];
    next.clock.advance(24 * HOUR);
    const report = await sweepDigests(next);

    expect(report.unknownChunks).toBe(1);
    expect(await digestStatus(date)).toMatchObject({ status: "sent_with_failures", chunks: { unknown: 1 } });
    expect((await mockCalls()).length).toBe(1);
  });

  it("an operator may record it sent: its readers count as delivered and the digest is sent", async () => {
    const { date, next } = await acceptedButNotRecorded();
    next.clock.advance(24 * HOUR);
    await drainQueue(next);

    const decided = await admin(`/admin/digests/${date}/chunks/0/resolve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resolution: "mark_sent" }) });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ kind: "marked_sent", date, chunk: 0, recipients: 5 });
    expect(await digestStatus(date)).toMatchObject({ status: "sent", delivered: 5, chunks: { unknown: 0, sent: 1 }, unknownChunks: [] });

    const again = await admin(`/admin/digests/${date}/chunks/0/resolve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resolution: "resend" }) });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "not_unknown" } });
  });

  it("an operator may resend it anyway: the same payload goes out again and the digest settles", async () => {
    const { date, next } = await acceptedButNotRecorded();
    next.clock.advance(24 * HOUR);
    await drainQueue(next);

    const decided = await admin(`/admin/digests/${date}/chunks/0/resolve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resolution: "resend" }) });
    expect(decided.status).toBe(202);
    expect(await decided.json()).toEqual({ kind: "resending", date, chunk: 0, recipients: 5 });
    // The Worker's own queue consumer sends it.
    await eventually(async () => (await digestStatus(date)).status === "sent", 15_000, "the resent digest to settle");
    const calls = await mockCalls();
    expect(calls.map((call) => call.idempotencyKey)).toEqual([`digest/${date}/0`, `digest/${date}/0`]);
    expect(calls[1]!.recipients).toEqual(calls[0]!.recipients);
    expect(await digestStatus(date)).toMatchObject({ delivered: 5, chunks: { sent: 1, unknown: 0 } });
  });

  it("refuses a decision it cannot read, naming the field, and changes nothing", async () => {
    const { date, next } = await acceptedButNotRecorded();
    next.clock.advance(24 * HOUR);
    await drainQueue(next);
    const post = (path: string, body: unknown) => admin(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    const wrongWord = await post(`/admin/digests/${date}/chunks/0/resolve`, { resolution: "retry" });
    expect(wrongWord.status).toBe(422);
    expect(await wrongWord.json()).toMatchObject({ error: { code: "invalid_resolution", message: expect.stringContaining('"resend"') } });
    const notAChunk = await post(`/admin/digests/${date}/chunks/x/resolve`, { resolution: "resend" });
    expect(notAChunk.status).toBe(400);
    expect(await notAChunk.json()).toMatchObject({ error: { code: "invalid_chunk" } });
    const noSuchChunk = await post(`/admin/digests/${date}/chunks/7/resolve`, { resolution: "resend" });
    expect(noSuchChunk.status).toBe(404);
    expect(await digestStatus(date)).toMatchObject({ status: "sent_with_failures", chunks: { unknown: 1 } });
  });
});

describe("the cron's sweep", () => {
  it("re-drives a digest stuck in sending after the last digest cron, and every reader gets it once", async () => {
    const readers = await insertSubscribers(150);
    const deps = testServices();
    const date = await buildToday(deps);
    await drainQueue(deps, { only: (message) => message.body.kind === "fanout" });
    deps.queue.pending = []; // the chunks' messages are lost; no digest cron runs again today

    deps.clock.advance(4 * MINUTE);
    expect((await sweepDigests(deps)).redriven).toEqual([]); // not stalled yet: it may just be slow
    deps.clock.advance(2 * MINUTE);
    expect((await sweepDigests(deps)).redriven).toEqual([date]);
    await drainQueue(deps);

    expect(countByRecipient(await digestDeliveries(date))).toEqual(exactlyOnce(readers));
    expect(await digestStatus(date)).toMatchObject({ status: "sent", delivered: 150 });
  });

  it("leaves a digest that is busy going out alone", async () => {
    await insertSubscribers(5);
    const deps = testServices();
    await buildToday(deps);
    await drainQueue(deps, { only: (message) => message.body.kind === "fanout" });
    deps.clock.advance(MINUTE);
    expect(await sweepDigests(deps)).toEqual({ unknownChunks: 0, redriven: [], retried: [], abandoned: [] });
  });

  it("after 23 hours stops re-driving: what never went out is failed and the digest says it went out with failures", async () => {
    await insertSubscribers(150);
    const deps = testServices();
    const date = await buildToday(deps);
    await drainQueue(deps, { only: (message) => message.body.kind === "fanout" });
    deps.queue.pending = [];

    deps.clock.advance(23 * HOUR + MINUTE);
    const report = await sweepDigests(deps);
    expect(report).toMatchObject({ redriven: [], abandoned: [{ date, chunks: [0, 1] }] });
    const status = await digestStatus(date);
    expect(status).toMatchObject({ status: "sent_with_failures", delivered: 0, chunks: { failed: 2 } });
    expect(status.failedChunks.map((chunk) => chunk.error)).toEqual(Array(2).fill("not sent within 23 hours of the digest going out"));
    expect((await mockCalls()).length).toBe(0);
    expect(errorsLogged(deps, "digest sent with failures")).toHaveLength(1);
  });

  it("retries transient failures after a pause, and the digest ends sent when Resend recovers", async () => {
    const readers = await insertSubscribers(5);
    const deps = testServices();
    const date = await buildToday(deps);
    await configureMock({ faults: { error500: 1 } });
    await drainQueue(deps);
    expect(await digestStatus(date)).toMatchObject({ status: "sent_with_failures", failedChunks: [{ kind: "transient" }] });

    deps.clock.advance(5 * MINUTE);
    expect((await sweepDigests(deps)).retried).toEqual([]); // too soon
    await configureMock({ faults: {} });
    deps.clock.advance(5 * MINUTE);
    expect((await sweepDigests(deps)).retried).toEqual([{ date, chunks: [0] }]);
    await drainQueue(deps);

    expect(countByRecipient(await digestDeliveries(date))).toEqual(exactlyOnce(readers));
    expect(await digestStatus(date)).toMatchObject({ status: "sent", delivered: 5, failedChunks: [] });
  });

  it("gives transient failures a bounded number of rounds", async () => {
    await insertSubscribers(5);
    const deps = testServices();
    const date = await buildToday(deps);
    await configureMock({ faults: { error500: 1 } });
    await drainQueue(deps);

    let rounds = 0;
    for (let hour = 0; hour < 22; hour++) {
      deps.clock.advance(HOUR);
      rounds += (await sweepDigests(deps)).retried.length;
      await drainQueue(deps);
    }
    expect(rounds).toBe(6);
    expect((await mockCalls()).length).toBe(8 * 7); // 8 attempts, then 8 in each of 6 rounds
    expect(await digestStatus(date)).toMatchObject({ status: "sent_with_failures", chunks: { failed: 1 } });
  });

  it("never retries a permanent failure: that is an operator's call", async () => {
    await insertSubscribers(5);
    const deps = testServices();
    await resetMock({ scriptedFaults: ["422"] });
    const date = await buildToday(deps);
    await drainQueue(deps);
    deps.clock.advance(HOUR);
    expect((await sweepDigests(deps)).retried).toEqual([]);
    expect(await digestStatus(date)).toMatchObject({ status: "sent_with_failures", failedChunks: [{ kind: "permanent" }] });
    expect((await mockCalls()).length).toBe(1);
  });
});
