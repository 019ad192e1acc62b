import { beforeEach, describe, expect, it, inject } from "vitest";
import { createLogger } from "../../src/lib/logger";
import { fetchDailyPapers, type DailyPapersDeps } from "../../src/papers/client";
import { hfItem, hfItems } from "../support/hf-items";
import { resetMock } from "../support/worker/mock";

const mockUrl = inject("mockUpstreamUrl");
const DAY = "2026-11-26";

/** The query of every papers request the mock received, in order. */
async function paperRequests(): Promise<URLSearchParams[]> {
  const searches: string[] = await (await fetch(`${mockUrl}/__mock/paper-requests`)).json();
  return searches.map((search) => new URLSearchParams(search));
}

/** Deps pointing at the mock, recording sleeps and log entries (by event name) instead of waiting. */
function harness(overrides: Partial<DailyPapersDeps> = {}) {
  const sleeps: number[] = [];
  const logs: Record<string, unknown>[] = [];
  const deps: DailyPapersDeps = {
    fetch,
    baseUrl: `${mockUrl}/api/daily_papers`,
    sleep: async (ms) => void sleeps.push(ms),
    log: createLogger({}, ({ level: _level, message, ...fields }) => void logs.push({ event: message, ...fields })),
    ...overrides,
  };
  return { deps, sleeps, logs };
}

beforeEach(() => resetMock());

describe("fetchDailyPapers pages", () => {
  it("returns no papers for an empty day after one request", async () => {
    await resetMock({ papers: { [DAY]: [] } });
    const { deps } = harness();
    expect(await fetchDailyPapers(deps, DAY)).toEqual({ ok: true, papers: [], dropped: 0, attempts: 1 });
    const requests = await paperRequests();
    expect(requests.map((query) => Object.fromEntries(query))).toEqual([{ date: DAY, limit: "100", p: "0" }]);
  });

  it("asks for the next page after a full one and stops at the empty page", async () => {
    const items = hfItems(100);
    await resetMock({ papers: { [DAY]: items, "2026-11-25": hfItems(3) } });
    const result = await fetchDailyPapers(harness().deps, DAY);
    expect(result.ok && result.papers.map((paper) => paper.id)).toEqual(
      items.map((item) => (item.paper as { id: string }).id),
    );
    expect((await paperRequests()).map((query) => query.get("p"))).toEqual(["0", "1"]);
  });

  it("keeps paging past a short page until an empty one", async () => {
    await resetMock({ papers: { [DAY]: hfItems(7) } });
    const result = await fetchDailyPapers(harness().deps, DAY, { pageSize: 3 });
    expect(result.ok && result.papers).toHaveLength(7);
    const requests = await paperRequests();
    expect(requests.map((query) => [query.get("limit"), query.get("p")])).toEqual([
      ["3", "0"],
      ["3", "1"],
      ["3", "2"],
      ["3", "3"],
    ]);
  });

  it("drops malformed items, logs each as JSON, and keeps the rest", async () => {
    const good = hfItems(3);
    await resetMock({ papers: { [DAY]: [good[0], { paper: { id: "nope" } }, good[1], null, good[2]] } });
    const { deps, logs } = harness();
    const result = await fetchDailyPapers(deps, DAY);
    expect(result).toMatchObject({ ok: true, dropped: 2 });
    expect(result.ok && result.papers).toHaveLength(3);
    const dropped = logs.filter((entry) => entry.event === "papers.item_dropped");
    expect(dropped).toEqual([
      { event: "papers.item_dropped", date: DAY, page: 0, index: 1, reason: expect.stringContaining('"nope"') },
      { event: "papers.item_dropped", date: DAY, page: 0, index: 3, reason: expect.stringContaining("null") },
    ]);
    expect(JSON.parse(JSON.stringify(logs))).toEqual(logs);
  });

  it("keeps HTML and TeX in titles as text", async () => {
    const title = "<script>alert(1)</script> Q&A:\n  $O(n^2)$ attention";
    await resetMock({ papers: { [DAY]: [hfItem({ paper: { title } })] } });
    const result = await fetchDailyPapers(harness().deps, DAY);
    expect(result.ok && result.papers[0]?.title).toBe("<script>alert(1)</script> Q&A: $O(n^2)$ attention");
  });

  it("stops when the upstream repeats a page instead of honouring p", async () => {
    const page = [hfItem(), hfItem()];
    let calls = 0;
    const { deps, logs } = harness({
      fetch: async () => {
        calls += 1;
        return Response.json(page);
      },
    });
    const result = await fetchDailyPapers(deps, DAY);
    expect(result.ok && result.papers).toHaveLength(2);
    expect(calls).toBe(2);
    expect(logs).toContainEqual({ event: "papers.page_repeated", date: DAY, page: 1 });
  });

  it("stops at maxPages when pages never run out, and de-duplicates across pages", async () => {
    const repeated = hfItem();
    let calls = 0;
    const { deps, logs } = harness({
      fetch: async () => {
        calls += 1;
        return Response.json([repeated, hfItem()]);
      },
    });
    const result = await fetchDailyPapers(deps, DAY, { maxPages: 4 });
    expect(calls).toBe(4);
    expect(result.ok && result.papers).toHaveLength(5);
    expect(logs).toContainEqual({ event: "papers.page_cap_reached", date: DAY, maxPages: 4 });
  });

  it.each(["2026-02-30", "26-11-2026", "2026-11-26&p=5", ""])("throws on the malformed date %j before any request", async (date) => {
    await expect(fetchDailyPapers(harness().deps, date)).rejects.toThrow(RangeError);
    expect(await paperRequests()).toEqual([]);
  });
});

describe("fetchDailyPapers retries", () => {
  it("retries a 503 and succeeds", async () => {
    await resetMock({ papers: { [DAY]: hfItems(2) }, scriptedPaperStatuses: [503] });
    const { deps, sleeps, logs } = harness();
    const result = await fetchDailyPapers(deps, DAY);
    expect(result.ok && result.papers).toHaveLength(2);
    expect((await paperRequests()).map((query) => query.get("p"))).toEqual(["0", "0", "1"]);
    expect(sleeps).toEqual([1000]);
    expect(logs).toContainEqual(expect.objectContaining({ event: "papers.retry", attempt: 1, problem: "upstream answered HTTP 503" }));
  });

  it("waits as long as a 429's retry-after says", async () => {
    await resetMock({ papers: { [DAY]: hfItems(1) }, scriptedPaperStatuses: [429], paperRetryAfter: "7" });
    const { deps, sleeps } = harness();
    expect(await fetchDailyPapers(deps, DAY)).toMatchObject({ ok: true });
    expect(sleeps).toEqual([7000]);
  });

  it("caps a very long retry-after", async () => {
    await resetMock({ scriptedPaperStatuses: [429], paperRetryAfter: "86400" });
    const { deps, sleeps } = harness();
    expect(await fetchDailyPapers(deps, DAY)).toMatchObject({ ok: true });
    expect(sleeps).toEqual([30_000]);
  });

  it("backs off exponentially on a 429 without retry-after", async () => {
    await resetMock({ scriptedPaperStatuses: [429, 429, 429] });
    const { deps, sleeps } = harness();
    expect(await fetchDailyPapers(deps, DAY)).toMatchObject({ ok: true });
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it("gives up on a persistent 500 after maxAttempts", async () => {
    await resetMock({ papers: { [DAY]: hfItems(2) }, scriptedPaperStatuses: [500, 500, 500, 500] });
    const { deps, sleeps } = harness();
    const result = await fetchDailyPapers(deps, DAY, { maxAttempts: 3 });
    expect(result).toEqual({
      ok: false,
      reason: "unavailable",
      detail: "page 0: upstream answered HTTP 500; gave up after 3 attempts",
      attempts: 3,
    });
    expect(await paperRequests()).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it("does not retry a 404", async () => {
    await resetMock({ scriptedPaperStatuses: [404] });
    const { deps, sleeps } = harness();
    expect(await fetchDailyPapers(deps, DAY)).toEqual({ ok: false, reason: "unavailable", detail: "page 0: upstream answered HTTP 404", attempts: 1 });
    expect(await paperRequests()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("fails the whole day when a later page stays unavailable", async () => {
    await resetMock({ papers: { [DAY]: hfItems(3) } });
    let calls = 0;
    const { deps } = harness({
      fetch: async (input, init) => (++calls === 1 ? fetch(input, init) : new Response("busy", { status: 502 })),
    });
    const result = await fetchDailyPapers(deps, DAY, { pageSize: 3, maxAttempts: 2 });
    // Every request counts: page 0 once, page 1 twice.
    expect(result).toMatchObject({ ok: false, reason: "unavailable", detail: expect.stringMatching(/^page 1: .*502/), attempts: 3 });
  });

  it("retries an answer slower than timeoutMs", async () => {
    await resetMock({ papers: { [DAY]: hfItems(1) }, scriptedPaperFaults: ["slow"], paperSlowMs: 3000 });
    const { deps, logs } = harness();
    const started = Date.now();
    const result = await fetchDailyPapers(deps, DAY, { timeoutMs: 200 });
    expect(result.ok && result.papers).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(logs).toContainEqual(expect.objectContaining({ event: "papers.retry", problem: "no answer within 200 ms" }));
  });

  it("reports a timeout that never clears as unavailable", async () => {
    await resetMock({ scriptedPaperFaults: ["slow", "slow"], paperSlowMs: 3000 });
    const result = await fetchDailyPapers(harness().deps, DAY, { timeoutMs: 100, maxAttempts: 2 });
    expect(result).toEqual({ ok: false, reason: "unavailable", detail: "page 0: no answer within 100 ms; gave up after 2 attempts", attempts: 2 });
  });

  it("retries a dropped connection", async () => {
    await resetMock({ papers: { [DAY]: hfItems(1) }, scriptedPaperFaults: ["drop"] });
    const { deps, logs } = harness();
    const result = await fetchDailyPapers(deps, DAY);
    expect(result.ok && result.papers).toHaveLength(1);
    expect(logs).toContainEqual(expect.objectContaining({ event: "papers.retry", problem: expect.stringMatching(/^network error/) }));
  });

  it("retries a fetch that throws, and never throws itself", async () => {
    const { deps, sleeps } = harness({
      fetch: async () => {
        throw new TypeError("connection refused");
      },
    });
    const result = await fetchDailyPapers(deps, DAY, { maxAttempts: 2 });
    expect(result).toMatchObject({ ok: false, reason: "unavailable", detail: expect.stringContaining("connection refused") });
    expect(sleeps).toHaveLength(1);
  });
});

describe("fetchDailyPapers invalid answers", () => {
  it("reports an HTML page as invalid_response without retrying", async () => {
    await resetMock({ scriptedPaperFaults: ["not-json"] });
    const result = await fetchDailyPapers(harness().deps, DAY);
    expect(result).toMatchObject({ ok: false, reason: "invalid_response", detail: expect.stringContaining("not JSON") });
    expect(await paperRequests()).toHaveLength(1);
  });

  it("reports a JSON object instead of an array as invalid_response", async () => {
    await resetMock({ scriptedPaperFaults: ["not-array"] });
    const result = await fetchDailyPapers(harness().deps, DAY);
    expect(result).toMatchObject({ ok: false, reason: "invalid_response", detail: expect.stringContaining("an object") });
  });
});

describe("fetchDailyPapers options", () => {
  it.each([{ maxAttempts: 0 }, { timeoutMs: -1 }, { pageSize: 101 }, { maxPages: 1.5 }])("rejects %j", async (options) => {
    await expect(fetchDailyPapers(harness().deps, DAY, options)).rejects.toThrow(RangeError);
  });

  it("treats undefined options as defaults", async () => {
    const result = await fetchDailyPapers(harness().deps, DAY, { maxAttempts: undefined, pageSize: undefined });
    expect(result).toEqual({ ok: true, papers: [], dropped: 0, attempts: 1 });
    expect((await paperRequests())[0]?.get("limit")).toBe("100");
  });
});
