import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build";
import { findDigest } from "../../src/digest/store";
import worker from "../../src/index";
import { hfItem, hfItems } from "../support/hf-items";
import { clearDigestState, eventually, insertSubscribers } from "../support/worker/db";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { chunkKeys, renderingsOf, sendAtReadersMorning, yesterdayOf } from "../support/worker/digest";
import { configureMock, digestDeliveries, mockCalls, resetMock } from "../support/worker/mock";
import { choose } from "../support/worker/mornings";
import { drainQueue } from "../support/worker/queue";
import { admin } from "../support/worker/requests";
import { testClock, testConfig, testServices } from "../support/worker/services";

const HOUR = 60 * 60 * 1000;

/** One item per upvote count, titled "<prefix> paper 00", "… 01", … in list order. */
function items(prefix: string, upvotes: number[]) {
  return upvotes.map((votes, index) => hfItem({ paper: { title: `${prefix} paper ${String(index).padStart(2, "0")}`, upvotes: votes } }));
}

const idOf = (item: Record<string, unknown>) => (item.paper as { id: string }).id;

interface AdminDigest {
  status: string;
  subject: string | null;
  papers: { id: string; title: string; upvotes: number }[];
  skipReason: string | null;
  sourceAttempts: number;
  lastError: string | null;
  recipients: number;
  delivered: number;
}

async function adminDigest(edition: string): Promise<AdminDigest> {
  const response = await admin(`/admin/digests/${edition}`);
  expect(response.status).toBe(200);
  return response.json();
}

beforeEach(async () => {
  await resetMock();
  await clearDigestState();
});

describe("building the day's digest", () => {
  it("turns the day's Hugging Face list into an edition ranked by upvotes and mails each reader the top papers of their size", async () => {
    const edition = "2026-11-20";
    const listed = [
      ...items("Listed", [12, 140, 7, 98, 33, 140, 61, 5, 77, 20, 64, 3]),
      hfItem({ paper: { id: "not an arxiv id", upvotes: 999 } }),
    ];
    await resetMock({ papers: { [edition]: listed } });
    const readers = await insertSubscribers(3);
    await choose(readers, { size: 5 });
    const deps = testServices({ config: testConfig({ RESEND_MAX_RPS: "100", DIGEST_SIZE: "5" }), clock: testClock(Date.parse("2026-11-21T06:00:00Z")) });

    // The edition keeps the day's whole ranked list (readers choose how many they get); nobody's morning has come yet.
    expect(await buildDigest(deps, edition)).toEqual({ kind: "ready", edition, papers: 12, sample: false });
    expect(deps.queue.sent).toEqual([{ kind: "freeze", edition, at: expect.any(Number) }]);

    // Ties on upvotes fall back to comments, then publication time, then id: all equal here but the id.
    const [first, second] = [listed[1]!, listed[5]!].sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1));
    const digest = await adminDigest(edition);
    expect(digest.status).toBe("ready");
    expect(digest.papers).toHaveLength(12);
    expect(digest.papers.slice(0, 5).map((paper) => [paper.id, paper.upvotes])).toEqual([
      [idOf(first!), 140],
      [idOf(second!), 140],
      [idOf(listed[3]!), 98],
      [idOf(listed[8]!), 77],
      [idOf(listed[10]!), 64],
    ]);

    await sendAtReadersMorning(deps, edition);
    expect((await adminDigest(edition)).status).toBe("sent");
    const deliveries = await digestDeliveries(edition);
    expect(countByRecipient(deliveries)).toEqual(exactlyOnce(readers));
    expect(new Set(deliveries.map((delivery) => delivery.subject))).toEqual(new Set([digest.subject]));
    expect(digest.subject).toBe(`paperboy · 20 Nov 2026: Listed paper 0${listed.indexOf(first!)}`);

    // Readers who chose five papers share one email, of the five most upvoted.
    const [email, ...others] = await renderingsOf(edition);
    expect(others).toEqual([]);
    for (const text of [email!.text, ...deliveries.map((delivery) => delivery.text ?? "")]) {
      for (const title of ["01", "05", "03", "08", "10"]) expect(text).toContain(`Listed paper ${title}`);
      for (const title of ["00", "02", "04", "06", "07", "09", "11"]) expect(text).not.toContain(`Listed paper ${title}`);
    }
  });

  it("skips a day with no papers: no email, and later cron runs leave it skipped", async () => {
    const edition = "2026-11-14";
    await resetMock({ papers: { [edition]: [] } });
    await insertSubscribers(2);
    const deps = testServices({ clock: testClock(Date.parse("2026-11-15T06:00:00Z")) });

    expect(await buildDigest(deps, edition)).toEqual({ kind: "skipped", edition, reason: "no papers listed for this period" });
    deps.clock.advance(HOUR);
    expect(await buildDigest(deps, edition)).toEqual({ kind: "unchanged", edition, status: "skipped" });

    expect(deps.queue.sent).toEqual([]);
    expect(await mockCalls()).toEqual([]);
    const digest = await adminDigest(edition);
    expect(digest).toMatchObject({ status: "skipped", skipReason: "no papers listed for this period", papers: [], recipients: 0 });
  });

  it("rides out Hugging Face answering 503 twice and sends the digest", async () => {
    const edition = "2026-11-16";
    await resetMock({ papers: { [edition]: hfItems(4) }, scriptedPaperStatuses: [503, 503] });
    const readers = await insertSubscribers(2);
    const deps = testServices({ clock: testClock(Date.parse("2026-11-17T06:00:00Z")) });

    expect(await buildDigest(deps, edition)).toMatchObject({ kind: "ready", papers: 4 });
    expect(deps.sleeps).toEqual([1000, 2000]);
    await sendAtReadersMorning(deps, edition);

    expect((await adminDigest(edition)).status).toBe("sent");
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
  });

  it("waits while Hugging Face is down, sends once it is back before the deadline", async () => {
    const edition = "2026-11-18";
    const down = Array<number>(4).fill(503); // every attempt of one cron run
    await resetMock({ papers: { [edition]: hfItems(3) }, scriptedPaperStatuses: down });
    const readers = await insertSubscribers(2);
    const deps = testServices({ clock: testClock(Date.parse("2026-11-19T06:00:00Z")) });

    // Every request to the source counts: four in this run.
    expect(await buildDigest(deps, edition)).toMatchObject({ kind: "waiting", attempts: 4 });
    expect(await adminDigest(edition)).toMatchObject({ status: "waiting", sourceAttempts: 4 });
    expect((await adminDigest(edition)).lastError).toContain("HTTP 503");

    deps.clock.advance(HOUR);
    expect(await buildDigest(deps, edition)).toMatchObject({ kind: "ready", papers: 3 });
    await sendAtReadersMorning(deps, edition);
    expect(await adminDigest(edition)).toMatchObject({ status: "sent", recipients: 2, delivered: 2, sourceAttempts: 6 });
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
  });

  it("gives a day up at DIGEST_DEADLINE_HOUR when Hugging Face stays down, and never mails made-up papers", async () => {
    const edition = "2026-11-08";
    const down = Array<number>(4 * 8).fill(503);
    await resetMock({ papers: { [edition]: hfItems(3) }, scriptedPaperStatuses: down });
    await insertSubscribers(2);
    const deps = testServices({ clock: testClock(Date.parse("2026-11-09T06:00:00Z")) });

    // Hourly cron runs from 06:00; the deadline is 12:00 UTC the day after the papers day.
    for (let run = 1; run <= 6; run++) {
      expect(await buildDigest(deps, edition)).toMatchObject({ kind: "waiting", attempts: 4 * run });
      deps.clock.advance(HOUR);
    }
    const skipped = await buildDigest(deps, edition);
    expect(skipped).toMatchObject({ kind: "skipped" });
    expect(await adminDigest(edition)).toMatchObject({ status: "skipped", sourceAttempts: 28 });
    expect((await adminDigest(edition)).skipReason).toMatch(/^papers source unavailable until the deadline \(unavailable: page 0: upstream answered HTTP 503/);

    // The source coming back later does not revive the day on its own.
    await configureMock({ scriptedPaperStatuses: [] });
    deps.clock.advance(HOUR);
    expect(await buildDigest(deps, edition)).toEqual({ kind: "unchanged", edition, status: "skipped" });
    expect(deps.queue.sent).toEqual([]);
    expect(await mockCalls()).toEqual([]);
  });

  it("does not give a day up early when an operator forces a send while Hugging Face is down", async () => {
    const edition = "2026-11-06";
    await resetMock({ papers: { [edition]: hfItems(3) }, scriptedPaperStatuses: [404] });
    const readers = await insertSubscribers(1);
    const deps = testServices({ clock: testClock(Date.parse("2026-11-07T07:30:00Z")) });

    expect(await buildDigest(deps, edition, { force: true })).toMatchObject({ kind: "waiting", attempts: 1 }); // a 404 is not retried
    // So the next cron run still tries, and sends: the reader's 07:00 has passed, so at once.
    deps.clock.advance(HOUR);
    expect(await buildDigest(deps, edition)).toMatchObject({ kind: "ready", papers: 3 });
    await drainQueue(deps);
    expect((await adminDigest(edition)).status).toBe("sent");
    expect(countByRecipient(await digestDeliveries(edition))).toEqual(exactlyOnce(readers));
  });

  it("never sends a paper twice: papers an earlier daily edition had are left out of the next one", async () => {
    const [dayOne, dayTwo, dayThree] = ["2026-11-01", "2026-11-02", "2026-11-03"];
    const a = hfItem({ paper: { title: "Paper A", upvotes: 100 } });
    const b = hfItem({ paper: { title: "Paper B", upvotes: 90 } });
    const c = hfItem({ paper: { title: "Paper C", upvotes: 80 } });
    const stillTrending = hfItem({ paper: { id: idOf(b), title: "Paper B", upvotes: 150 } });
    const d = hfItem({ paper: { title: "Paper D", upvotes: 40 } });
    const e = hfItem({ paper: { title: "Paper E", upvotes: 30 } });
    await resetMock({ papers: { [dayOne]: [a, b, c], [dayTwo]: [stillTrending, c, d, e], [dayThree]: [a, stillTrending] } });
    const readers = await insertSubscribers(2);
    await choose(readers, { size: 3 });
    const config = testConfig({ RESEND_MAX_RPS: "100", DIGEST_SIZE: "3" });
    const deps = testServices({ config, clock: testClock(Date.parse("2026-11-02T06:00:00Z")) });

    await buildDigest(deps, dayOne);
    await sendAtReadersMorning(deps, dayOne);
    deps.clock.advance(Date.parse("2026-11-03T06:00:00Z") - deps.clock.now());
    await buildDigest(deps, dayTwo);
    await sendAtReadersMorning(deps, dayTwo);
    deps.clock.advance(Date.parse("2026-11-04T06:00:00Z") - deps.clock.now());
    expect(await buildDigest(deps, dayThree)).toEqual({ kind: "skipped", edition: dayThree, reason: "every paper was in an earlier edition" });

    expect((await adminDigest(dayOne)).papers.map((paper) => paper.title)).toEqual(["Paper A", "Paper B", "Paper C"]);
    expect((await adminDigest(dayTwo)).papers.map((paper) => paper.title)).toEqual(["Paper D", "Paper E"]);
    const secondDay = await digestDeliveries(dayTwo);
    expect(countByRecipient(secondDay)).toEqual(exactlyOnce(readers));
    for (const delivery of secondDay) expect(delivery.text).not.toMatch(/Paper [ABC]/);
    for (const email of await renderingsOf(dayTwo)) {
      expect(email.text).not.toContain("Paper B");
      expect(email.html).not.toContain("Paper B");
    }
  });
});

describe("the cron trigger", () => {
  it("builds one edition and mails one copy each when it fires twice at once and again later", async () => {
    // Yesterday's edition, run through the real Worker on today's schedule (its clock is the real one).
    const today = new Date().toISOString().slice(0, 10);
    const edition = yesterdayOf(Date.now());
    await resetMock({ papers: { [edition]: hfItems(3) } });
    const readers = await insertSubscribers(3);
    const cron = (time: string) =>
      worker.scheduled(createScheduledController({ scheduledTime: Date.parse(`${today}T${time}:00Z`), cron: "*/5 * * * *" }), env);

    // 06:00 builds it; 07:00 is the readers' morning. Cloudflare may fire each run twice.
    await Promise.all([cron("06:00"), cron("06:00")]);
    await Promise.all([cron("07:00"), cron("07:00")]);
    // The real queue delivers to the Worker's own consumer in the background.
    await eventually(async () => (await findDigest(env.DB, edition))?.status === "sent", 15_000, "the edition to be sent");
    await cron("07:05");
    await cron("07:15");

    const deliveries = await digestDeliveries(edition);
    expect(countByRecipient(deliveries)).toEqual(exactlyOnce(readers));
    const calls = (await mockCalls()).filter((call) => call.path === "/emails/batch");
    expect(calls.map((call) => [call.idempotencyKey, call.status])).toEqual((await chunkKeys(edition)).map((key) => [key, 200]));
    expect(calls).toHaveLength(1);
    expect(await adminDigest(edition)).toMatchObject({ status: "sent", recipients: 3, delivered: 3 });
  });
});
