import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { queue } from "../../src/entry/queue";
import { clearDigestState, eventually, insertSubscribers, outboxSettled, subscriberRow } from "../support/worker/db";
import { countByRecipient } from "../support/exactly-once";
import { configureMock, digestDeliveries, mockCalls, mockSends, resetMock, type SentEmail } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { admin, postConfirm, signUp, tokenOf } from "../support/worker/requests";
import { testConfig, testServices } from "../support/worker/services";
import { exactlyOnce } from "../support/exactly-once";
import { buildDigest } from "../../src/digest/build";
import { hfItems } from "../support/hf-items";
import { buildToday, chunkKeys, freezeAtReadersMorning, linkOf, unsubscribeViaLink, yesterdayOf } from "../support/worker/digest";
import { oneClickUnsubscribe } from "../support/worker/requests";

const DAY = 24 * 60 * 60 * 1000;
/** Small emails keep a 1,000-recipient run light; the rendering itself is tested elsewhere. */
const config = testConfig({ RESEND_MAX_RPS: "100", DIGEST_SIZE: "1" });

beforeEach(async () => {
  await outboxSettled(); // a welcome mail from the previous test goes out before the mock is reset
  await resetMock();
  await clearDigestState();
});

describe("chunked delivery", () => {
  it("sends one /emails/batch call per chunk of at most 100, to everyone active when their morning's slot froze and nobody else", async () => {
    const first = await insertSubscribers(120);
    const pending = await insertSubscribers(5, { status: "pending", tag: "pending" });
    const second = await insertSubscribers(130);
    const left = await insertSubscribers(5, { status: "unsubscribed", tag: "left" });
    const readers = [...first, ...second];
    const deps = testServices({ config });

    const date = await buildToday(deps);
    await drainQueue(deps);

    const calls = await mockCalls();
    const keys = await chunkKeys(date);
    // Each key names the edition, the quarter hour whose freeze made the chunk, and the chunk.
    const slot = /^digest\/[\d-]+\/(\d{4}-\d\d-\d\dT\d\d:(?:00|15|30|45)Z)\/0$/.exec(keys[0]!)?.[1];
    expect(keys).toEqual([0, 1, 2].map((chunk) => `digest/${date}/${slot}/${chunk}`));
    expect(calls.map((call) => [call.path, call.idempotencyKey, call.status, call.recipients.length])).toEqual([
      ["/emails/batch", keys[0], 200, 100],
      ["/emails/batch", keys[1], 200, 100],
      ["/emails/batch", keys[2], 200, 50],
    ]);
    expect(calls.flatMap((call) => call.recipients)).toEqual(readers.map((reader) => reader.email));
    expect(countByRecipient(await digestDeliveries(date))).toEqual(exactlyOnce(readers));
    for (const outsider of [...pending, ...left]) expect(calls.some((call) => call.recipients.includes(outsider.email))).toBe(false);

    const status = await (await admin(`/admin/digests/${date}`)).json();
    expect(status).toMatchObject({ status: "sent", recipients: 250, delivered: 250, chunks: { total: 3, sent: 3, failed: 0 } });
    expect(status).toMatchObject({ slots: [{ chunks: 3, recipients: 250, sent: 250, failed: 0, toGo: 0 }] });
  });

  it("gives every recipient their own one-click unsubscribe link, which unsubscribes exactly them", async () => {
    const readers = await insertSubscribers(3);
    const deps = testServices({ config });
    const date = await buildToday(deps);
    await drainQueue(deps);

    const deliveries = await digestDeliveries(date);
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/paperboy\.test\/unsubscribe\?token=[A-Za-z0-9._-]+>$/);
      expect(delivery.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      expect(delivery.headers["List-Id"]).toBe("paperboy daily <daily.paperboy.test>"); // RFC 2919, for readers' filters
    }
    expect(new Set(deliveries.map(linkOf)).size).toBe(3);

    // The same link is in the body, where the reader can click it.
    const emails = (await mockSends()).flatMap((send) => send.body as unknown as SentEmail[]);
    const preferenceLinks = new Set<string>();
    for (const delivery of deliveries) {
      const email = emails.find((candidate) => candidate.to.includes(delivery.to))!;
      expect(email.text).toContain(linkOf(delivery));
      expect(email.html).toContain(`href="${linkOf(delivery)}"`);
      // And their own way to change what they get, with the topics it was chosen by (every one, by default).
      const preferences = /https:\/\/paperboy\.test\/preferences\?token=[A-Za-z0-9._-]+/.exec(email.text)?.[0];
      expect(email.html).toContain(`href="${preferences}"`);
      expect(email.text).toContain("Your topics: all of them");
      preferenceLinks.add(preferences!);
    }
    expect(preferenceLinks.size).toBe(3);

    const target = readers[1]!;
    const response = await oneClickUnsubscribe(linkOf(deliveries.find((delivery) => delivery.to === target.email)!));
    expect(response.status).toBe(200);
    // The page names whom it unsubscribed, masked as on every page a link opens.
    expect(await response.text()).toContain(`${target.email.slice(0, 2)}•••@example.com`);
    expect((await subscriberRow(target.email))?.status).toBe("unsubscribed");
    for (const other of [readers[0]!, readers[2]!]) expect((await subscriberRow(other.email))?.status).toBe("active");
  });
});

describe("who gets the digest", () => {
  it("does not send to someone who unsubscribes after their slot froze, before their chunk goes, even on a retry", async () => {
    const readers = await insertSubscribers(250);
    const deps = testServices({ config });
    const date = await buildToday(deps); // frozen at the readers' morning; the chunks wait in the queue

    const lateLeaver = readers[230]!; // in the last chunk, which has not gone yet
    await unsubscribeViaLink(config, lateLeaver);

    // Chunk 0 is answered 500 (nothing accepted); one of its readers leaves before the retry, which
    // takes the next free slot (half a second away at two calls a second).
    await configureMock({ scriptedFaults: ["500"] });
    const slow = testServices({ config: testConfig({ RESEND_MAX_RPS: "2", DIGEST_SIZE: "1" }), queue: deps.queue, clock: deps.clock });
    const sending = drainQueue(slow);
    await eventually(async () => (await mockCalls()).length === 1, 5_000, "the first call");
    const retryLeaver = readers[42]!;
    await unsubscribeViaLink(config, retryLeaver);
    await sending;

    const [keyOfChunkZero] = await chunkKeys(date);
    const chunkZero = (await mockCalls()).filter((call) => call.idempotencyKey === keyOfChunkZero);
    expect(chunkZero.map((call) => [call.status, call.recipients.length])).toEqual([
      [500, 100],
      [200, 99],
    ]);
    const expected = readers.filter((reader) => reader !== lateLeaver && reader !== retryLeaver);
    expect(countByRecipient(await digestDeliveries(date))).toEqual(exactlyOnce(expected));
  });

  it("sends to someone who confirms before their morning, not to someone who confirms after their slot froze, who gets the next edition", async () => {
    const readers = await insertSubscribers(2);
    const early = `early-${crypto.randomUUID()}@example.com`;
    const late = `late-${crypto.randomUUID()}@example.com`;
    const [earlyLink, lateLink] = [await signUp(early), await signUp(late)];
    const deps = testServices({ config });

    // Built at 06:00; the early one confirms before 07:00, when everyone's slot is frozen; the late one after.
    const today = yesterdayOf(deps.clock.now());
    await configureMock({ papers: { [today]: hfItems(2) } });
    expect(await buildDigest(deps, today)).toMatchObject({ kind: "ready" });
    expect((await postConfirm(tokenOf(earlyLink))).status).toBe(200);
    await freezeAtReadersMorning(deps, today);
    expect((await postConfirm(tokenOf(lateLink))).status).toBe(200);
    await drainQueue(deps);
    expect(countByRecipient(await digestDeliveries(today))).toEqual(exactlyOnce([...readers, early]));

    deps.clock.advance(DAY);
    const tomorrow = await buildToday(deps);
    await drainQueue(deps);
    expect(countByRecipient(await digestDeliveries(tomorrow))).toEqual(exactlyOnce([...readers, early, late]));
  });
});

describe("pacing", () => {
  it("never calls Resend more than RESEND_MAX_RPS times in any one second, across concurrent consumers, and runs at that limit", async () => {
    const rps = 5;
    await insertSubscribers(1200);
    await resetMock({ rateLimitPerSecond: rps });
    const deps = testServices({ config: testConfig({ RESEND_MAX_RPS: String(rps), DIGEST_SIZE: "1" }) });
    const date = await buildToday(deps);

    await drainQueue(deps, { batchSize: 3 }); // four consumers at once
    const calls = (await mockCalls()).filter((call) => call.path === "/emails/batch");
    // Resend's limiter (here a fixed window per second) never turned a call away (a late welcome mail of the last test included)...
    // (A call whose answer a loaded machine lost is retried under its key, and Resend's record answers it: one more call, no more mail.)
    const digestCalls = calls.filter((call) => call.idempotencyKey?.startsWith(`digest/${date}/`));
    expect(new Set(digestCalls.map((call) => call.idempotencyKey))).toEqual(new Set(await chunkKeys(date)));
    expect((await chunkKeys(date)).length).toBe(12);
    expect(calls.map((call) => call.status).filter((status) => status !== 200)).toEqual([]);
    // ...because no one-second window (Resend's are fixed, on whole seconds) held more than `rps` calls...
    const perWindow = new Map<number, number>();
    for (const call of calls) perWindow.set(Math.floor(call.at / 1000), (perWindow.get(Math.floor(call.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(rps);
    // ...while the calls ran at the limit, with no margin: 12 calls at 5 a second take about 2.4 s.
    expect(digestCalls.at(-1)!.at - digestCalls[0]!.at).toBeLessThan((digestCalls.length + 1) * (1000 / rps));
    const deliveries = countByRecipient(await digestDeliveries(date));
    expect(deliveries.size).toBe(1200);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
  });
});

describe("the queue handler", () => {
  it("acks messages it does not understand and retries a batch while the Worker is misconfigured", async () => {
    const strange = createMessageBatch<unknown>("paperboy-digest", [
      { id: "a", timestamp: Date.now(), attempts: 1, body: { kind: "chunk", edition: "2026-11-01", chunk: -1 } },
      { id: "b", timestamp: Date.now(), attempts: 1, body: "hello" },
      { id: "d", timestamp: Date.now(), attempts: 1, body: { kind: "freeze", edition: "2026-11-01" } },
    ]);
    const ctx = createExecutionContext();
    await queue(strange, env);
    expect(await getQueueResult(strange, ctx)).toMatchObject({ explicitAcks: ["a", "b", "d"], retryMessages: [] });

    // A freeze, and a fan-out written before editions (still on the queue while a new version deploys).
    const valid = createMessageBatch("paperboy-digest", [
      { id: "c", timestamp: Date.now(), attempts: 1, body: { kind: "freeze", edition: "2026-11-01", at: Date.now() } },
      { id: "e", timestamp: Date.now(), attempts: 1, body: { kind: "fanout", date: "2026-11-01" } },
    ]);
    await queue(valid, { ...env, SIGNING_SECRET: "too short" });
    expect(await getQueueResult(valid, createExecutionContext())).toMatchObject({ retryBatch: { retry: true }, explicitAcks: [] });
  });
});
