/**
 * A digest says what happened to it: sent with failures when some chunks failed, `unknown` for a
 * chunk whose outcome stayed unknown past Resend's 24-hour Idempotency-Key window (an operator
 * decides), and the cron's sweep re-drives what is stuck and retries transient failures, within
 * 23 hours. The clock is the test's, so a day passes in a line.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build";
import { freezeDueReaders } from "../../src/digest/freeze";
import { slotFor } from "../../src/digest/schedule";
import { sweepDigests } from "../../src/digest/sweep";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { hfItems } from "../support/hf-items";
import { clearDigestState, eventually, insertSubscribers } from "../support/worker/db";
import { buildToday, chunkKeys, ledger } from "../support/worker/digest";
import { failOnce } from "../support/worker/fail-once";
import { configureMock, digestDeliveries, mockCalls, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { admin } from "../support/worker/requests";
import { frozenSlots, insertReaders } from "../support/worker/mornings";
import { type TestServices, testClock, testServices } from "../support/worker/services";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

beforeEach(async () => {
  await resetMock();
  await clearDigestState();
});

async function digestStatus(edition: string) {
  return (await admin(`/admin/digests/${edition}`)).json<{
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
  const edition = await buildToday(dying);
  await drainQueue(dying, { rounds: 2 }).catch(() => {});
  expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers)); // Resend has it; the ledger does not know
  expect(await ledger(edition)).toMatchObject([{ status: "sending", payload_locked: 1 }]);
  // The next consumer shares the queue (its message is still there) and the clock.
  const next = testServices({ queue: dying.queue, clock: dying.clock });
  return { readers, edition, next };
}

describe("an outcome unknown for longer than Resend keeps its Idempotency-Key", () => {
  it("is not resent: the chunk is left unknown for an operator, and the digest says it was sent with failures", async () => {
    const { edition, next } = await acceptedButNotRecorded();
    next.clock.advance(23 * HOUR + MINUTE);
    await drainQueue(next);

    expect((await mockCalls()).length).toBe(1); // no second call: after 24 h Resend could deliver it again
    const status = await digestStatus(edition);
    expect(status).toMatchObject({ status: "sent_with_failures", delivered: 0, chunks: { unknown: 1, sent: 0 } });
    expect(status.unknownChunks).toEqual([
      { chunk: 0, recipients: 5, since: expect.any(String), error: expect.stringMatching(/^outcome unknown since .*Idempotency-Key window; not resent/) },
    ]);
    expect(errorsLogged(next, "chunk outcome unknown, left for an operator")).toHaveLength(1);
    expect(errorsLogged(next, "digest sent with failures")).toHaveLength(1);
    const stats = await (await admin("/admin/stats")).json<{ digests: { edition: string; status: string; unknown: number; failed: number }[] }>();
    expect(stats.digests.find((digest) => digest.edition === edition)).toMatchObject({ status: "sent_with_failures", unknown: 5, failed: 0 });
  });

  it("is still resent byte for byte within 23 hours, and Resend's record answers it", async () => {
    const { readers, edition, next } = await acceptedButNotRecorded();
    next.clock.advance(22 * HOUR);
    await drainQueue(next);

    const calls = await mockCalls();
    expect(calls.map((call) => call.status)).toEqual([200, 200]);
    expect(calls[1]!.idempotencyKey).toBe(calls[0]!.idempotencyKey);
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect(await digestStatus(edition)).toMatchObject({ status: "sent", delivered: 5 });
  });

  it("is found by the cron's sweep even when no message is left to deliver", async () => {
    const { edition, next } = await acceptedButNotRecorded();
    next.queue.pending = [];
    next.clock.advance(24 * HOUR);
    const report = await sweepDigests(next);

    expect(report.unknownChunks).toBe(1);
    expect(await digestStatus(edition)).toMatchObject({ status: "sent_with_failures", chunks: { unknown: 1 } });
    expect((await mockCalls()).length).toBe(1);
  });

  it("an operator may record it sent: its readers count as delivered and the digest is sent", async () => {
    const { edition, next } = await acceptedButNotRecorded();
    next.clock.advance(24 * HOUR);
    await drainQueue(next);

    const decided = await admin(`/admin/digests/${edition}/chunks/0/resolve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resolution: "mark_sent" }) });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ kind: "marked_sent", edition, chunk: 0, recipients: 5 });
    expect(await digestStatus(edition)).toMatchObject({ status: "sent", delivered: 5, chunks: { unknown: 0, sent: 1 }, unknownChunks: [] });

    const again = await admin(`/admin/digests/${edition}/chunks/0/resolve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resolution: "resend" }) });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "not_unknown" } });
  });

  it("an operator may resend it anyway: the same payload goes out again and the digest settles", async () => {
    const { edition, next } = await acceptedButNotRecorded();
    next.clock.advance(24 * HOUR);
    await drainQueue(next);

    const decided = await admin(`/admin/digests/${edition}/chunks/0/resolve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resolution: "resend" }) });
    expect(decided.status).toBe(202);
    expect(await decided.json()).toEqual({ kind: "resending", edition, chunk: 0, recipients: 5 });
    // The Worker's own queue consumer sends it.
    await eventually(async () => (await digestStatus(edition)).status === "sent", 15_000, "the resent digest to settle");
    const calls = await mockCalls();
    const [keyOfChunkZero] = await chunkKeys(edition);
    expect(calls.map((call) => call.idempotencyKey)).toEqual([keyOfChunkZero, keyOfChunkZero]);
    expect(calls[1]!.recipients).toEqual(calls[0]!.recipients);
    expect(await digestStatus(edition)).toMatchObject({ delivered: 5, chunks: { sent: 1, unknown: 0 } });
  });

  it("refuses a decision it cannot read, naming the field, and changes nothing", async () => {
    const { edition, next } = await acceptedButNotRecorded();
    next.clock.advance(24 * HOUR);
    await drainQueue(next);
    const post = (path: string, body: unknown) => admin(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    const wrongWord = await post(`/admin/digests/${edition}/chunks/0/resolve`, { resolution: "retry" });
    expect(wrongWord.status).toBe(422);
    expect(await wrongWord.json()).toMatchObject({ error: { code: "invalid_resolution", message: expect.stringContaining('"resend"') } });
    const notAChunk = await post(`/admin/digests/${edition}/chunks/x/resolve`, { resolution: "resend" });
    expect(notAChunk.status).toBe(400);
    expect(await notAChunk.json()).toMatchObject({ error: { code: "invalid_chunk" } });
    const noSuchChunk = await post(`/admin/digests/${edition}/chunks/7/resolve`, { resolution: "resend" });
    expect(noSuchChunk.status).toBe(404);
    expect(await digestStatus(edition)).toMatchObject({ status: "sent_with_failures", chunks: { unknown: 1 } });
  });
});

describe("the cron's sweep", () => {
  it("re-drives a digest stuck in sending after the last digest cron, and every reader gets it once", async () => {
    const readers = await insertSubscribers(150);
    const deps = testServices();
    const edition = await buildToday(deps);
    deps.queue.pending = []; // the chunks' messages are lost; no digest cron runs again today

    deps.clock.advance(4 * MINUTE);
    expect((await sweepDigests(deps)).redriven).toEqual([]); // not stalled yet: it may just be slow
    deps.clock.advance(2 * MINUTE);
    expect((await sweepDigests(deps)).redriven).toEqual([edition]);
    await drainQueue(deps);

    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect(await digestStatus(edition)).toMatchObject({ status: "sent", delivered: 150 });
  });

  it("leaves a digest that is busy going out alone", async () => {
    await insertSubscribers(5);
    const deps = testServices();
    await buildToday(deps);
    deps.clock.advance(MINUTE);
    expect(await sweepDigests(deps)).toEqual({ unknownChunks: 0, redriven: [], retried: [], abandoned: [] });
  });

  it("after 23 hours stops re-driving: what never went out is failed and the digest says it went out with failures", async () => {
    await insertSubscribers(150);
    const deps = testServices();
    const edition = await buildToday(deps);
    deps.queue.pending = [];

    deps.clock.advance(23 * HOUR + MINUTE);
    const report = await sweepDigests(deps);
    expect(report).toMatchObject({ redriven: [], abandoned: [{ edition, chunks: [0, 1] }] });
    const status = await digestStatus(edition);
    expect(status).toMatchObject({ status: "sent_with_failures", delivered: 0, chunks: { failed: 2 } });
    expect(status.failedChunks.map((chunk) => chunk.error)).toEqual(Array(2).fill("not sent within 23 hours of its slot"));
    expect((await mockCalls()).length).toBe(0);
    expect(errorsLogged(deps, "digest sent with failures")).toHaveLength(1);
  });

  it("counts the 23 hours from each chunk's slot: a later morning's chunks are still re-driven when an earlier one's are failed", async () => {
    const edition = "2026-11-20";
    await configureMock({ papers: { [edition]: hfItems(2) } });
    const utc = await insertReaders(100, { timeZone: "UTC", deliveryHour: 7 }, "utc");
    const tokyo = await insertReaders(20, { timeZone: "Asia/Tokyo", deliveryHour: 7 }, "tokyo");
    const deps = testServices({ clock: testClock(Date.parse("2026-11-21T06:00:00Z")) });
    await buildDigest(deps, edition);
    // 07:00 UTC, then 07:00 in Tokyo (22:00 UTC): each slot frozen, and every chunk's message lost.
    for (const [zone, reader] of [["UTC", utc[0]!], ["Asia/Tokyo", tokyo[0]!]] as const) {
      deps.clock.advance(slotFor(edition, zone, 7) - deps.clock.now());
      await freezeDueReaders(deps, edition);
      expect((await frozenSlots(edition)).get(reader.id)).toBe(slotFor(edition, zone, 7));
    }
    deps.queue.pending = [];

    deps.clock.advance(slotFor(edition, "UTC", 7) + 23 * HOUR + MINUTE - deps.clock.now());
    expect(await sweepDigests(deps)).toMatchObject({ abandoned: [{ edition, chunks: [0] }], redriven: [edition] });
    await drainQueue(deps);

    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(tokyo));
    const status = await digestStatus(edition);
    expect(status).toMatchObject({ status: "sent_with_failures", delivered: 20, chunks: { failed: 1, sent: 1 } });
    expect(status.failedChunks).toEqual([{ chunk: 0, attempts: 0, kind: "transient", error: "not sent within 23 hours of its slot" }]);
  });

  it("retries transient failures after a pause, and the digest ends sent when Resend recovers", async () => {
    const readers = await insertSubscribers(5);
    const deps = testServices();
    const edition = await buildToday(deps);
    await configureMock({ faults: { error500: 1 } });
    await drainQueue(deps);
    expect(await digestStatus(edition)).toMatchObject({ status: "sent_with_failures", failedChunks: [{ kind: "transient" }] });

    deps.clock.advance(5 * MINUTE);
    expect((await sweepDigests(deps)).retried).toEqual([]); // too soon
    await configureMock({ faults: {} });
    deps.clock.advance(5 * MINUTE);
    expect((await sweepDigests(deps)).retried).toEqual([{ edition, chunks: [0] }]);
    await drainQueue(deps);

    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect(await digestStatus(edition)).toMatchObject({ status: "sent", delivered: 5, failedChunks: [] });
  });

  it("retries an early slot's transient failures the same morning, while later readers' mornings are still to come", async () => {
    const edition = "2026-11-20";
    await configureMock({ papers: { [edition]: hfItems(2) } });
    const early = await insertReaders(5, { timeZone: "UTC", deliveryHour: 7 }, "utc");
    const later = await insertReaders(5, { timeZone: "Europe/Berlin", deliveryHour: 7 }, "berlin");
    const deps = testServices({ clock: testClock(Date.parse("2026-11-21T06:00:00Z")) });
    await buildDigest(deps, edition);
    deps.clock.advance(slotFor(edition, "UTC", 7) - deps.clock.now());
    await freezeDueReaders(deps, edition);
    await configureMock({ faults: { error500: 1 } });
    await drainQueue(deps);
    expect(await digestStatus(edition)).toMatchObject({ status: "sending", failedChunks: [{ chunk: 0, kind: "transient" }] });

    await configureMock({ faults: {} });
    deps.clock.advance(10 * MINUTE);
    expect((await sweepDigests(deps)).retried).toEqual([{ edition, chunks: [0] }]);
    await drainQueue(deps);
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(early));

    deps.clock.advance(slotFor(edition, "Europe/Berlin", 7) - deps.clock.now());
    await freezeDueReaders(deps, edition);
    await drainQueue(deps);
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce([...early, ...later]));
    expect(await digestStatus(edition)).toMatchObject({ status: "sent", delivered: 10, failedChunks: [] });
  });

  it("gives transient failures a bounded number of rounds", async () => {
    await insertSubscribers(5);
    const deps = testServices();
    const edition = await buildToday(deps);
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
    expect(await digestStatus(edition)).toMatchObject({ status: "sent_with_failures", chunks: { failed: 1 } });
  });

  it("never retries a permanent failure: that is an operator's call", async () => {
    await insertSubscribers(5);
    const deps = testServices();
    await resetMock({ scriptedFaults: ["422"] });
    const edition = await buildToday(deps);
    await drainQueue(deps);
    deps.clock.advance(HOUR);
    expect((await sweepDigests(deps)).retried).toEqual([]);
    expect(await digestStatus(edition)).toMatchObject({ status: "sent_with_failures", failedChunks: [{ kind: "permanent" }] });
    expect((await mockCalls()).length).toBe(1);
  });
});
