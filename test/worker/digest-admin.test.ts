import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { findDigest } from "../../src/digest/store";
import { unsubscribeUrl } from "../../src/subscribers/links";
import { hfItem, hfItems } from "../support/hf-items";
import { clearDigestState, eventually, insertSubscribers, type TestSubscriber } from "../support/worker/db";
import { countByRecipient } from "../support/exactly-once";
import { chunkKeys, renderingsOf } from "../support/worker/digest";
import { digestDeliveries, mockCalls, mockPaperRequests, resetMock } from "../support/worker/mock";
import { admin, pathOf, worker } from "../support/worker/requests";
import { testConfig } from "../support/worker/services";

const paperRequestCount = async () => (await mockPaperRequests()).length;

/**
 * The edition of the day before yesterday, as the Worker's real clock sees it: the readers' 07:00 UTC
 * slot for it has passed (so a send reaches them at once), and it is not yet too old to be sent.
 */
const DATE = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

const ENDPOINTS: [method: string, path: (date: string) => string][] = [
  ["GET", (date) => `/admin/digests/${date}`],
  ["POST", (date) => `/admin/digests/${date}/send`],
  ["POST", (date) => `/admin/digests/${date}/retry`],
  ["GET", (date) => `/admin/digests/${date}/preview`],
];

/** Waits for the Worker's own queue consumer, which runs in the background, to settle the digest: `sent`, or (when `withFailures`) `sent_with_failures`. */
/** Waits for the digest to settle: `sent`, or (when `withFailures`) `sent_with_failures`. */
function sentDigest(date: string, { withFailures = false } = {}) {
  const settled = withFailures ? "sent_with_failures" : "sent";
  return eventually(async () => {
    const digest = await findDigest(env.DB, date);
    return digest?.status === settled && digest;
  }, 15_000, `the digest for ${date} to be ${settled}`);
}

async function unsubscribe(subscriber: TestSubscriber): Promise<void> {
  const url = await unsubscribeUrl(testConfig(), { id: subscriber.id, tokenVersion: 1 });
  expect((await worker(pathOf(url), { method: "POST" })).status).toBe(200);
}

const exactlyOnce = (subscribers: TestSubscriber[]) => new Map(subscribers.map((subscriber) => [subscriber.email, 1]));

beforeEach(async () => {
  await resetMock();
  await clearDigestState();
});

describe("admin access", () => {
  it("answers 401 without the admin token, or with a wrong one, and does nothing", async () => {
    await resetMock({ papers: { [DATE]: hfItems(2) } });
    await insertSubscribers(1);
    for (const [method, path] of ENDPOINTS) {
      for (const authorization of [undefined, "Bearer wrong-token", "test-admin-token", "Basic dGVzdC1hZG1pbi10b2tlbg=="]) {
        const response = await worker(path(DATE), { method, headers: authorization ? { authorization } : {} });
        expect(response.status, `${method} ${path(DATE)} with ${authorization}`).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe('Bearer realm="paperboy admin"');
        expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
      }
    }
    expect(await findDigest(env.DB, DATE)).toBeNull();
    expect(await mockCalls()).toEqual([]);
  });

  it("answers 400 to names that are neither calendar days nor ISO weeks", async () => {
    for (const date of ["2026-13-01", "2026-02-30", "yesterday", "20260915", "2026-9-15", "2026-W00", "2025-W53", "2026-W5", "2026-w48"]) {
      for (const [method, path] of ENDPOINTS) {
        const response = await admin(path(date), { method });
        expect(response.status, `${method} ${path(date)}`).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: "invalid_date" } });
      }
    }
  });

  it("answers 404 for a day or a week that has no edition yet", async () => {
    for (const path of [`/admin/digests/${DATE}`, `/admin/digests/${DATE}/retry`, "/admin/digests/2026-W48", "/admin/digests/2026-W53/retry"]) {
      const response = await admin(path, { method: path.endsWith("retry") ? "POST" : "GET" });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });
});

describe("preview", () => {
  it("shows the day's digest as HTML, text and JSON without storing or sending anything", async () => {
    const top = hfItem({ paper: { title: "Preview Top Paper", upvotes: 90 } });
    await resetMock({ papers: { [DATE]: [hfItem({ paper: { title: "Preview Second Paper", upvotes: 10 } }), top] } });
    await insertSubscribers(2);

    const html = await admin(`/admin/digests/${DATE}/preview?format=html`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toMatch(/^<!DOCTYPE html/i);
    expect(page.indexOf("Preview Top Paper")).toBeLessThan(page.indexOf("Preview Second Paper"));

    const text = await admin(`/admin/digests/${DATE}/preview?format=text`);
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await text.text()).toContain("Preview Top Paper");

    const json = await admin(`/admin/digests/${DATE}/preview`);
    const preview = await json.json<{ subject: string; html: string; text: string; stored: boolean; papers: string[] }>();
    const day = new Date(`${DATE}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
    expect(preview).toMatchObject({ subject: `paperboy · ${day}: Preview Top Paper`, stored: false, sample: false });
    expect(preview.papers[0]).toBe((top.paper as { id: string }).id);

    expect(await findDigest(env.DB, DATE)).toBeNull();
    for (const table of ["edition_papers", "digest_renderings", "deliveries", "digest_chunks"])
      expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first("n"), table).toBe(0);
    expect(await mockCalls()).toEqual([]);
  });

  it("answers 503 when Hugging Face cannot be reached, and 404 for a day without papers", async () => {
    await resetMock({ papers: { "2026-09-14": [] }, scriptedPaperStatuses: [404] });
    expect((await admin(`/admin/digests/${DATE}/preview`)).status).toBe(503);
    const empty = await admin(`/admin/digests/2026-09-14/preview`);
    expect(empty.status).toBe(404);
    expect(await empty.json()).toMatchObject({ error: { code: "no_papers" } });
  });
});

describe("days that are not over", () => {
  const DAY_MS = 24 * 60 * 60 * 1000;
  const today = () => new Date().toISOString().slice(0, 10);
  const inFourDays = () => new Date(Date.now() + 4 * DAY_MS).toISOString().slice(0, 10);
  // Hugging Face's list of a day is complete from 06:00 UTC the day after: before that, the day before yesterday is the newest.
  const newestComplete = () => new Date(Date.now() - (new Date().getUTCHours() >= 6 ? 1 : 2) * DAY_MS).toISOString().slice(0, 10);

  it.each([
    ["send", "POST", (date: string) => `/admin/digests/${date}/send`],
    ["preview", "GET", (date: string) => `/admin/digests/${date}/preview`],
  ] as const)("%s refuses today and later with a 400 that names the newest complete day, and stores, sends and fetches nothing", async (_name, method, path) => {
    await resetMock({ papers: { [today()]: hfItems(3), [inFourDays()]: hfItems(3) } });
    for (const date of [today(), inFourDays(), "2099-01-01"]) {
      const response = await admin(path(date), { method });
      expect(response.status, date).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "day_not_complete", message: `${date} is not over yet: the newest day with a complete list of papers is ${newestComplete()}.` },
      });
      expect(await findDigest(env.DB, date)).toBeNull();
    }
    expect(await paperRequestCount()).toBe(0);
    expect(await mockCalls()).toEqual([]);
  });
});

describe("preview details", () => {
  it("fails fast when Hugging Face is down: one request, no retries, a 503 within a second or two", async () => {
    await resetMock({ papers: { [DATE]: hfItems(3) }, scriptedPaperStatuses: [503, 503, 503, 503] });
    const started = Date.now();
    const response = await admin(`/admin/digests/${DATE}/preview`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: "source_unavailable" } });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await paperRequestCount()).toBe(1);
  });

  it("answers an unknown format with a 400 that lists the formats, before asking Hugging Face", async () => {
    await resetMock({ papers: { [DATE]: hfItems(3) } });
    for (const format of ["pdf", "HTML", ""]) {
      const response = await admin(`/admin/digests/${DATE}/preview?format=${format}`);
      expect(response.status, format).toBe(400);
      expect(await response.json()).toEqual({ error: { code: "invalid_format", message: 'format is "json" (the default), "html" or "text".' } });
    }
    expect(await paperRequestCount()).toBe(0);
    expect((await admin(`/admin/digests/${DATE}/preview?format=json`)).status).toBe(200);
  });
});

describe("send and retry", () => {
  it("sends a day's digest once however often the button is pressed, and the preview then shows what was sent", async () => {
    await resetMock({ papers: { [DATE]: hfItems(3) } });
    const readers = await insertSubscribers(3);

    const [first, second] = await Promise.all([
      admin(`/admin/digests/${DATE}/send`, { method: "POST" }),
      admin(`/admin/digests/${DATE}/send`, { method: "POST" }),
    ]);
    const answers = [
      { http: first.status, ...(await first.json<{ kind: string; status?: string }>()) },
      { http: second.status, ...(await second.json<{ kind: string; status?: string }>()) },
    ];
    expect(answers).toContainEqual({ http: 202, kind: "ready", edition: DATE, papers: 3, sample: false });
    // The second press either lost the race to store it (200), or found it going out and re-drove it (202).
    const other = answers.find((answer) => answer.kind !== "ready")!;
    expect([
      ["unchanged", 200],
      ["redriven", 202],
    ]).toContainEqual([other.kind, other.http]);
    expect(other.status).toMatch(/^(ready|sending|sent)$/);

    const digest = await sentDigest(DATE);
    const again = await admin(`/admin/digests/${DATE}/send`, { method: "POST" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ kind: "unchanged", edition: DATE, status: "sent" });

    expect(countByRecipient(await digestDeliveries(DATE))).toEqual(exactlyOnce(readers));
    expect((await mockCalls()).filter((call) => call.path === "/emails/batch")).toHaveLength(1);
    // The readers' 07:00 had passed: they were frozen at once, in the quarter hour it was built.
    const status = await (await admin(`/admin/digests/${DATE}`)).json<Record<string, unknown>>();
    expect(status).toMatchObject({ edition: DATE, cadence: "daily", status: "sent", readyAt: new Date(digest.readyAt!).toISOString(), unmatched: 0, missed: 0 });
    expect(Date.parse(status.frozenThrough as string)).toBeGreaterThanOrEqual(Date.parse(`${DATE}T07:00:00Z`) + 24 * 60 * 60 * 1000);
    expect(status.slots).toEqual([{ slot: expect.stringMatching(/:(00|15|30|45):00\.000Z$/), chunks: 1, recipients: 3, sent: 3, failed: 0, toGo: 0 }]);

    // What was sent is the one rendering of its papers, which the preview shows again.
    const [sent, ...others] = await renderingsOf(DATE);
    expect(others).toEqual([]);
    const preview = await (await admin(`/admin/digests/${DATE}/preview`)).json();
    expect(preview).toMatchObject({ stored: true, subject: digest.subject, html: sent!.html, text: sent!.text });
    expect((await mockCalls()).length).toBe(1);
  });

  it("re-checks a skipped day when an operator presses send", async () => {
    await resetMock({ papers: { [DATE]: [] } });
    const readers = await insertSubscribers(2);
    expect(await (await admin(`/admin/digests/${DATE}/send`, { method: "POST" })).json()).toMatchObject({ kind: "skipped" });

    await resetMock({ papers: { [DATE]: hfItems(2) } });
    const response = await admin(`/admin/digests/${DATE}/send`, { method: "POST" });
    expect(response.status).toBe(202);
    await sentDigest(DATE);
    expect(countByRecipient(await digestDeliveries(DATE))).toEqual(exactlyOnce(readers));
  });

  it("does not send an edition over two days old when an operator presses send: it says why, and counts who missed it", async () => {
    const old = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await resetMock({ papers: { [old]: hfItems(2) } });
    await insertSubscribers(3);

    const response = await admin(`/admin/digests/${old}/send`, { method: "POST" });
    expect(response.status).toBe(202);
    const skipped = await eventually(async () => {
      const digest = await findDigest(env.DB, old);
      return digest?.status === "skipped" && digest;
    }, 15_000, "the old edition to be closed");
    expect(skipped.skipReason).toBe("every reader's morning passed before it could be sent (3 missed)");
    expect(await (await admin(`/admin/digests/${old}`)).json()).toMatchObject({ status: "skipped", recipients: 0, missed: 3, delivered: 0 });
    expect(await mockCalls()).toEqual([]);
  });

  it("records a 422 from Resend as a failed chunk, says the digest went out with failures, and retry re-sends only that chunk, to who is still subscribed", async () => {
    await resetMock({ papers: { [DATE]: hfItems(2) }, scriptedFaults: ["422"] });
    const readers = await insertSubscribers(250);

    expect((await admin(`/admin/digests/${DATE}/send`, { method: "POST" })).status).toBe(202);
    await sentDigest(DATE, { withFailures: true });

    const status = await (await admin(`/admin/digests/${DATE}`)).json<{
      status: string;
      chunks: Record<string, number>;
      failedChunks: { chunk: number; attempts: number; kind: string; error: string }[];
      delivered: number;
    }>();
    expect(status.status).toBe("sent_with_failures");
    expect(status.chunks).toEqual({ total: 3, pending: 0, sending: 0, sent: 2, failed: 1, unknown: 0 });
    expect(status.failedChunks).toEqual([
      { chunk: expect.any(Number), attempts: 1, kind: "permanent", error: "rejected: validation_error: Batch must hold 1 to 100 emails" },
    ]);
    const stats = await (await admin("/admin/stats")).json<{ digests: { edition: string; status: string; failed: number }[] }>();
    expect(stats.digests.find((digest) => digest.edition === DATE)).toMatchObject({ status: "sent_with_failures", failed: 100 });
    const failed = status.failedChunks[0]!.chunk;
    const inFailed = readers.slice(failed * 100, failed * 100 + 100);
    expect(status.delivered).toBe(250 - inFailed.length);
    const delivered = countByRecipient(await digestDeliveries(DATE));
    for (const reader of inFailed) expect(delivered.has(reader.email)).toBe(false);

    // Someone in the failed chunk leaves before the operator retries.
    const leaver = inFailed[5]!;
    await unsubscribe(leaver);

    const retry = await admin(`/admin/digests/${DATE}/retry`, { method: "POST" });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({ edition: DATE, requeuedChunks: [failed] });
    await sentDigest(DATE);

    const batches = (await mockCalls()).filter((call) => call.path === "/emails/batch");
    expect(batches.map((call) => [call.idempotencyKey, call.status]).slice(3)).toEqual([[(await chunkKeys(DATE))[failed], 200]]);
    expect(countByRecipient(await digestDeliveries(DATE))).toEqual(exactlyOnce(readers.filter((reader) => reader !== leaver)));
    expect(await (await admin(`/admin/digests/${DATE}`)).json()).toMatchObject({
      status: "sent",
      delivered: 249,
      chunks: { total: 3, sent: 3, failed: 0 },
      failedChunks: [],
    });

    const nothingLeft = await admin(`/admin/digests/${DATE}/retry`, { method: "POST" });
    expect(nothingLeft.status).toBe(200);
    expect(await nothingLeft.json()).toEqual({ edition: DATE, requeuedChunks: [] });
  });
});
