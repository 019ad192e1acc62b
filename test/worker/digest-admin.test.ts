import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { findDigest } from "../../src/digest/store";
import { unsubscribeUrl } from "../../src/subscribers/links";
import { hfItem, hfItems } from "../support/hf-items";
import { clearDigestState, eventually, insertSubscribers, type TestSubscriber } from "../support/worker/db";
import { countByRecipient } from "../support/exactly-once";
import { digestDeliveries, mockCalls, mockPaperRequests, resetMock } from "../support/worker/mock";
import { admin, pathOf, worker } from "../support/worker/requests";
import { testConfig } from "../support/worker/services";

const paperRequestCount = async () => (await mockPaperRequests()).length;

const DATE = "2026-09-15";

const ENDPOINTS: [method: string, path: (date: string) => string][] = [
  ["GET", (date) => `/admin/digests/${date}`],
  ["POST", (date) => `/admin/digests/${date}/send`],
  ["POST", (date) => `/admin/digests/${date}/retry`],
  ["GET", (date) => `/admin/digests/${date}/preview`],
];

/** Waits for the Worker's own queue consumer, which runs in the background, to finish the digest. */
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

  it("answers 400 to dates that are not calendar days", async () => {
    for (const date of ["2026-13-01", "2026-02-30", "yesterday", "20260915", "2026-9-15"]) {
      for (const [method, path] of ENDPOINTS) {
        const response = await admin(path(date), { method });
        expect(response.status, `${method} ${path(date)}`).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: "invalid_date" } });
      }
    }
  });

  it("answers 404 for a day that has no digest yet", async () => {
    for (const path of [`/admin/digests/${DATE}`, `/admin/digests/${DATE}/retry`]) {
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
    expect(preview).toMatchObject({ subject: "paperboy · 15 Sep 2026: Preview Top Paper", stored: false, sample: false });
    expect(preview.papers[0]).toBe((top.paper as { id: string }).id);

    expect(await findDigest(env.DB, DATE)).toBeNull();
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM sent_papers").first("n")).toBe(0);
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
  const today = () => new Date().toISOString().slice(0, 10);
  const yesterday = () => new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

  it.each([
    ["send", "POST", (date: string) => `/admin/digests/${date}/send`],
    ["preview", "GET", (date: string) => `/admin/digests/${date}/preview`],
  ] as const)("%s refuses today and later with a 400 that names the newest complete day, and stores, sends and fetches nothing", async (_name, method, path) => {
    await resetMock({ papers: { [today()]: hfItems(3), "2026-12-09": hfItems(3) } });
    for (const date of [today(), "2026-12-09", "2099-01-01"]) {
      const response = await admin(path(date), { method });
      expect(response.status, date).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "day_not_complete", message: `${date} is not over yet: the newest day with a complete list of papers is ${yesterday()}.` },
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
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    const answers = [await first.json(), await second.json()] as { kind: string; status?: string }[];
    expect(answers).toContainEqual({ kind: "queued", date: DATE, papers: 3, sample: false });
    // The second press either lost the race to store it, or found it going out and re-drove it.
    const other = answers.find((answer) => answer.kind !== "queued")!;
    expect(["unchanged", "redriven"]).toContain(other.kind);
    expect(other.status).toMatch(/^(ready|sending|sent)$/);

    const digest = await sentDigest(DATE);
    const again = await admin(`/admin/digests/${DATE}/send`, { method: "POST" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ kind: "unchanged", date: DATE, status: "sent" });

    expect(countByRecipient(await digestDeliveries(DATE))).toEqual(exactlyOnce(readers));
    expect((await mockCalls()).filter((call) => call.path === "/emails/batch")).toHaveLength(1);

    const preview = await (await admin(`/admin/digests/${DATE}/preview`)).json();
    expect(preview).toMatchObject({ stored: true, subject: digest.subject, html: digest.html });
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
    const stats = await (await admin("/admin/stats")).json<{ digests: { date: string; status: string; failed: number }[] }>();
    expect(stats.digests.find((digest) => digest.date === DATE)).toMatchObject({ status: "sent_with_failures", failed: 100 });
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
    expect(await retry.json()).toEqual({ date: DATE, requeuedChunks: [failed] });
    await sentDigest(DATE);

    const batches = (await mockCalls()).filter((call) => call.path === "/emails/batch");
    expect(batches.map((call) => [call.idempotencyKey, call.status]).slice(3)).toEqual([[`digest/${DATE}/${failed}`, 200]]);
    expect(countByRecipient(await digestDeliveries(DATE))).toEqual(exactlyOnce(readers.filter((reader) => reader !== leaver)));
    expect(await (await admin(`/admin/digests/${DATE}`)).json()).toMatchObject({
      status: "sent",
      delivered: 249,
      chunks: { total: 3, sent: 3, failed: 0 },
      failedChunks: [],
    });

    const nothingLeft = await admin(`/admin/digests/${DATE}/retry`, { method: "POST" });
    expect(nothingLeft.status).toBe(200);
    expect(await nothingLeft.json()).toEqual({ date: DATE, requeuedChunks: [] });
  });
});
