import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { consumeJobs } from "../../src/jobs/consume";
import { sendChunk } from "../../src/digest/send-chunk";
import { buildDigest } from "../../src/digest/build";
import type { Job } from "../../src/jobs/messages";
import { findDigest } from "../../src/digest/store";
import { clearDigestState, eventually, insertSubscribers } from "../support/worker/db";
import { countByRecipient } from "../support/exactly-once";
import { configureMock, digestDeliveries, mockCalls, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { admin } from "../support/worker/requests";
import { testConfig, testServices } from "../support/worker/services";
import { exactlyOnce } from "../support/exactly-once";
import { hfItems } from "../support/hf-items";
import { advanceToReadersMorning, buildToday, chunkKeys, ledger, unsubscribeViaLink, yesterdayOf } from "../support/worker/digest";
import { failOnce } from "../support/worker/fail-once";

const DAY = 24 * 60 * 60 * 1000;
/** Small emails keep a 1,000-recipient run light; the rendering itself is tested elsewhere. */
const config = testConfig({ RESEND_MAX_RPS: "100", DIGEST_SIZE: "1" });

beforeEach(async () => {
  await resetMock();
  await clearDigestState();
});

describe("exactly once", () => {
  it("delivers each day's edition exactly once per reader through 500s, 429s, dropped connections and duplicate, concurrent queue deliveries", async () => {
    const active = await insertSubscribers(1000);
    const waiting = await insertSubscribers(3, { status: "pending", tag: "pending" });
    const deps = testServices({ config });
    const statuses = new Map<number, number>();

    for (const [day, seed] of [11, 12, 13].entries()) {
      await resetMock({
        seed,
        faults: { error500: 0.05, error429: 0.05, dropAfterAccept: 0.01 },
        // Make sure every kind of trouble shows up at least once, whatever the dice say.
        scriptedFaults: day === 0 ? ["drop-after-accept", "500", "drop", "429"] : [],
      });
      // Built, then frozen at the readers' morning by the cron's run, whose message arrives twice, concurrently, and once more from a doubled cron.
      const edition = yesterdayOf(deps.clock.now());
      await configureMock({ papers: { [edition]: hfItems(2) } });
      expect(await buildDigest(deps, edition)).toMatchObject({ kind: "ready" });
      deps.queue.pending = [];
      const morning = await advanceToReadersMorning(deps, edition);
      for (const _ of [1, 2]) await deps.queue.send({ kind: "freeze", edition, at: morning });
      await drainQueue(deps, { copies: () => 2, only: (message) => message.body.kind === "freeze" });
      expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE edition = ?").bind(edition).first()).toEqual({ n: active.length });
      expect((await ledger(edition)).map((chunk) => chunk.chunk)).toEqual([...Array(Math.ceil(active.length / 100)).keys()]);
      const atFreeze = active.slice();

      // After their slot froze: three readers leave (first, middle and last chunk), one sign-up is confirmed.
      const leaving = [atFreeze[3 * day]!, atFreeze[500 + day]!, atFreeze.at(-1 - day)!];
      for (const reader of leaving) await unsubscribeViaLink(config, reader);
      const joiner = waiting[day]!;
      await env.DB.prepare("UPDATE subscribers SET status = 'active', confirmed_at = ? WHERE id = ?").bind(deps.clock.now(), joiner.id).run();

      const stats = await drainQueue(deps, { copies: () => 2 });
      expect(stats.retries).toBeGreaterThan(0);

      const expected = atFreeze.filter((reader) => !leaving.includes(reader));
      expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(expected));
      expect((await ledger(edition)).every((chunk) => chunk.status === "sent")).toBe(true);
      expect(await (await admin(`/admin/digests/${edition}`)).json()).toMatchObject({ status: "sent", delivered: expected.length });

      for (const call of await mockCalls()) statuses.set(call.status, (statuses.get(call.status) ?? 0) + 1);
      active.splice(0, active.length, ...expected, joiner);
      deps.clock.advance(DAY);
    }
    // The run really met every fault: 500s, 429s and unanswered (status 0) calls, and still got through.
    expect(statuses.get(500)).toBeGreaterThan(0);
    expect(statuses.get(429)).toBeGreaterThan(0);
    expect(statuses.get(0)).toBeGreaterThan(0);
  }, 60_000);

  it("re-sends the identical payload after a consumer dies between Resend's answer and the ledger write, so Resend de-duplicates it", async () => {
    const readers = await insertSubscribers(150);
    const deps = testServices({ config });
    const edition = await buildToday(deps);

    // The first consumer's write of "sent" fails, as if the isolate died right after Resend answered.
    let failures = 0;
    const dying = testServices({ config, queue: deps.queue, clock: deps.clock, db: failOnce(env.DB, /SET status = 'sent'/, () => failures++) });
    await drainQueue(dying, { only: (message) => message.body.kind === "chunk" && message.body.chunk === 0, rounds: 1 });
    expect(failures).toBe(1);
    expect(await ledger(edition)).toMatchObject([{ chunk: 0, status: "sending", payload_locked: 1 }, { chunk: 1, status: "pending" }]);
    expect((await digestDeliveries(edition)).length).toBe(100);

    // Someone in that chunk unsubscribes before the retry: the retry must still be byte-identical.
    await unsubscribeViaLink(config, readers[7]!);

    // Redelivered while the dead consumer's lease runs: nothing is sent, the message waits out the (short) lease.
    const early = testServices({ config, queue: deps.queue, clock: deps.clock });
    const before = (await mockCalls()).length;
    const { batch, outcomes } = singleMessage({ kind: "chunk", edition, chunk: 0 } satisfies Job);
    await consumeJobs(batch, early);
    expect((await mockCalls()).length).toBe(before);
    expect(outcomes.retryDelay).toBeGreaterThan(0);
    expect(outcomes.retryDelay).toBeLessThanOrEqual(10);

    await drainQueue(deps);
    const [keyOfChunkZero] = await chunkKeys(edition);
    const chunkZero = (await mockCalls()).filter((call) => call.idempotencyKey === keyOfChunkZero);
    expect(chunkZero.map((call) => call.status)).toEqual([200, 200]);
    expect(chunkZero[1]!.recipients).toEqual(chunkZero[0]!.recipients);
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect(await ledger(edition)).toMatchObject([
      { chunk: 0, status: "sent", sent_count: 100 },
      { chunk: 1, status: "sent", sent_count: 50 },
    ]);
  });

  it("keeps an unanswered payload locked through a later 429, so the retry is still de-duplicated", async () => {
    const readers = await insertSubscribers(5);
    // Two calls a second: room to unsubscribe someone between the lost answer and the retries.
    const deps = testServices({ config: testConfig({ RESEND_MAX_RPS: "2", DIGEST_SIZE: "1" }) });
    const edition = await buildToday(deps);

    // Accepted but the answer lost; then the retry is turned away before Resend looks at the key.
    await configureMock({ scriptedFaults: ["drop-after-accept", "limit"] });
    const sending = drainQueue(deps);
    await eventually(async () => (await mockCalls()).length === 1, 5_000, "the first call");
    expect((await digestDeliveries(edition)).length).toBe(5);
    await unsubscribeViaLink(config, readers[2]!);
    await sending;

    const calls = (await mockCalls()).map((call) => [call.status, call.recipients.length]);
    expect(calls).toEqual([
      [0, 5],
      [429, 5],
      [200, 5],
    ]);
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect(await ledger(edition)).toMatchObject([{ status: "sent", last_error: null, sent_count: 5 }]);
  });
});

describe("failures an operator sees", () => {
  it("gives a chunk up after 8 attempts that Resend kept answering 500, and says why", async () => {
    await insertSubscribers(5);
    const deps = testServices({ config });
    const edition = await buildToday(deps);
    await configureMock({ faults: { error500: 1 } });
    await drainQueue(deps);

    expect((await mockCalls()).map((call) => call.status)).toEqual(Array(8).fill(500));
    const status = await (await admin(`/admin/digests/${edition}`)).json();
    expect(status).toMatchObject({
      status: "sent_with_failures",
      delivered: 0,
      chunks: { total: 1, failed: 1 },
      failedChunks: [{ chunk: 0, attempts: 8, kind: "transient", error: "transient: internal_server_error: Injected failure" }],
    });
    expect(deps.logs.filter((entry) => entry.message === "digest sent with failures")).toEqual([
      expect.objectContaining({ level: "error", edition, delivered: 0, failedChunks: [{ chunk: 0, kind: "transient", error: expect.any(String) }] }),
    ]);
  });
});

describe("recovery", () => {
  it("re-drives a chunk whose queue message was lost when the cron runs again", async () => {
    const readers = await insertSubscribers(150);
    const deps = testServices({ config });
    const edition = await buildToday(deps);

    // Chunk 1's message is gone, as after its retries ran out into the dead-letter queue.
    deps.queue.pending = deps.queue.pending.filter((message) => !(message.body.kind === "chunk" && message.body.chunk === 1));
    await drainQueue(deps);
    expect(await ledger(edition)).toMatchObject([{ status: "sent" }, { status: "pending" }]);
    expect((await findDigest(env.DB, edition))?.status).toBe("sending");

    deps.clock.advance(60 * 60 * 1000); // the next hourly cron run
    expect(await buildDigest(deps, edition)).toEqual({ kind: "redriven", edition, status: "sending", unfinishedChunks: 1 });
    await drainQueue(deps);

    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect((await findDigest(env.DB, edition))?.status).toBe("sent");
  });
});

describe("a consumer that outlives its lease", () => {
  it("races its successor without a second copy: Resend answers 409 to the key in flight, the retry settles it", async () => {
    const readers = await insertSubscribers(5);
    const deps = testServices({ config });
    const edition = await buildToday(deps);

    await configureMock({ scriptedFaults: ["slow"], faults: { slowMs: 1500 } });
    const stalled = sendChunk(deps, edition, 0);
    // Once its payload is written it is about to call; give the call time to reach Resend.
    await eventually(async () => (await ledger(edition))[0]?.payload_locked === 1, 2000, "the first consumer to call Resend");
    await new Promise((resolve) => setTimeout(resolve, 200));

    deps.clock.advance(11_000); // its lease runs out while Resend is still working on it
    // The successor meets the key in flight (409) in its next free slots, then backs off.
    const successor = await sendChunk(deps, edition, 0);
    expect(successor).toMatchObject({ kind: "retry" });
    expect(await stalled).toEqual({ kind: "done" });

    await deps.queue.send({ kind: "chunk", edition, chunk: 0 });
    await drainQueue(deps);
    const statuses = (await mockCalls()).map((call) => call.status);
    expect(statuses).toContain(409);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2); // the original and its replay
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
    expect(await ledger(edition)).toMatchObject([{ status: "sent", sent_count: 5 }]);
  });
});

/** One hand-made queue message, to see whether it was acked or retried and with what delay. */
function singleMessage(body: Job) {
  const outcomes: { acked: boolean; retryDelay: number | null } = { acked: false, retryDelay: null };
  const batch = {
    queue: "paperboy-digest",
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    messages: [
      {
        id: "single",
        timestamp: new Date(),
        body,
        attempts: 2,
        ack: () => void (outcomes.acked = true),
        retry: (options?: QueueRetryOptions) => void (outcomes.retryDelay = options?.delaySeconds ?? 0),
      },
    ],
    ackAll: () => void (outcomes.acked = true),
    retryAll: () => void (outcomes.retryDelay = 0),
  } satisfies MessageBatch<unknown>;
  return { batch, outcomes };
}
