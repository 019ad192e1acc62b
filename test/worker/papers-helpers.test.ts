import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../src/papers/client";
import { isCalendarDay } from "../../src/lib/calendar";
import { samplePapers } from "../../src/papers/sample-papers";
import { rankPapers } from "../../src/papers/rank";
import { parseArxivId } from "../../src/papers/arxiv-id";

describe("isCalendarDay", () => {
  it.each(["2026-11-26", "2024-02-29", "2000-02-29", "1999-12-31"])("accepts %s", (day) => {
    expect(isCalendarDay(day)).toBe(true);
  });

  it.each(["2023-02-29", "1900-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-1", "26-11-26", "2026-11-26T00:00:00Z", " 2026-11-26", "", 20261126])(
    "rejects %j",
    (day) => {
      expect(isCalendarDay(day)).toBe(false);
    },
  );
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");

  it("reads delta-seconds and HTTP dates", () => {
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("0", now)).toBe(0);
    expect(retryAfterMs("Thu, 26 Nov 2026 12:00:05 GMT", now)).toBe(5000);
  });

  it("caps long waits at 30 seconds and never goes negative", () => {
    expect(retryAfterMs("3600", now)).toBe(30_000);
    expect(retryAfterMs("Thu, 26 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });

  it.each([null, "", "soon", "-5"])("has no opinion on %j", (header) => {
    expect(retryAfterMs(header, now)).toBeNull();
  });
});

describe("samplePapers", () => {
  const papers = samplePapers();

  it("bundles a dozen distinct papers with valid, canonical arXiv ids", () => {
    expect(papers.length).toBeGreaterThanOrEqual(12);
    expect(new Set(papers.map((paper) => paper.id)).size).toBe(papers.length);
    for (const paper of papers) expect(parseArxivId(paper.id)).toBe(paper.id);
  });

  it("holds plain, collapsed text of realistic lengths", () => {
    for (const paper of papers) {
      expect(paper.title).toBe(paper.title.replace(/\s+/g, " ").trim());
      expect(paper.summary).toBe(paper.summary.replace(/\s+/g, " ").trim());
      expect(paper.summary.length).toBeGreaterThan(1000);
      expect(paper.authors.length).toBeGreaterThan(0);
    }
    const lengths = papers.map((paper) => paper.summary.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeGreaterThan(400);
    expect(papers.some((paper) => /[<>\\]/.test(paper.summary))).toBe(true);
  });

  it("ranks into a digest like real papers do", () => {
    expect(rankPapers(papers, { size: 10 })).toHaveLength(10);
    expect(new Set(papers.map((paper) => paper.upvotes)).size).toBeGreaterThan(5);
  });

  it("returns a fresh copy each call", () => {
    const first = samplePapers();
    first[0]?.authors.push("Mallory");
    first.reverse();
    expect(samplePapers()).toEqual(papers);
  });
});
