import { describe, expect, it } from "vitest";
import { DailyPapersShapeError, parseDailyPapers } from "../../src/papers/schema";
import { hfItem } from "../support/hf-items";
import { LONGEST_ABSTRACTS } from "../fixtures/longest-abstracts";

describe("parseDailyPapers", () => {
  it("maps a realistic item to a Paper", () => {
    const { papers, dropped } = parseDailyPapers([hfItem({ paper: { id: "2411.04905" } })]);
    expect(dropped).toEqual([]);
    expect(papers).toEqual([
      {
        id: "2411.04905",
        title: "Scaling Laws for Sparse Mixture-of-Experts Language Models",
        summary: expect.stringMatching(/^We study how .* training compute\.$/),
        aiSummary: "Sparse mixture-of-experts models follow predictable scaling laws in which routing granularity matters most.",
        aiKeywords: ["mixture-of-experts", "scaling laws", "compute-optimal training"],
        authors: ["Mira Castellanos", "Tobias Lindqvist", "Yuki Hoshino"],
        upvotes: 57,
        numComments: 4,
        publishedAt: "2026-11-24T17:59:58.000Z",
        submittedOnDailyAt: "2026-11-25T01:12:43.512Z",
        githubRepo: "https://github.com/example-lab/moe-scaling",
        githubStars: 1234,
        projectPage: "https://example-lab.github.io/moe-scaling/",
        thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2411.04905.png",
      },
    ]);
  });

  it("returns nothing for an empty day", () => {
    expect(parseDailyPapers([])).toEqual({ papers: [], dropped: [] });
  });

  it.each([
    ["an object", { error: "Invalid date" }],
    ["null", null],
    ["a string", "<!DOCTYPE html>"],
  ])("throws DailyPapersShapeError when the answer is %s", (_name, json) => {
    expect(() => parseDailyPapers(json)).toThrow(DailyPapersShapeError);
  });

  it("drops malformed items with their index and a reason, and keeps the rest", () => {
    const items = [
      hfItem({ paper: { id: "2411.00001" } }),
      null,
      "2411.00002",
      hfItem({ paper: undefined }),
      hfItem({ paper: { id: undefined } }),
      hfItem({ paper: { id: "not-an-id" } }),
      hfItem({ paper: { id: 2411.00003 } }),
      hfItem({ paper: { id: "hep-th/9901001" } }),
      hfItem({ paper: { title: undefined }, title: undefined }),
      hfItem({ paper: { title: " \n\t " }, title: 42 }),
      hfItem({ paper: { publishedAt: "yesterday" }, publishedAt: undefined }),
      hfItem({ paper: { id: "2411.00004" } }),
    ];
    const { papers, dropped } = parseDailyPapers(items);
    expect(papers.map((paper) => paper.id)).toEqual(["2411.00001", "2411.00004"]);
    expect(dropped.map((item) => item.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const item of dropped) expect(item.reason).toMatch(/\w/);
    const reasons = new Map(dropped.map((item) => [item.index, item.reason]));
    expect(reasons.get(1)).toBe("item is null, not an object");
    expect(reasons.get(3)).toBe("item has no paper object");
    expect(reasons.get(5)).toContain('"not-an-id"');
    expect(reasons.get(8)).toContain("no title");
    expect(reasons.get(10)).toContain("publishedAt");
  });

  it("keeps a page of only malformed items as all dropped, without throwing", () => {
    const { papers, dropped } = parseDailyPapers([1, 2, 3]);
    expect(papers).toEqual([]);
    expect(dropped).toHaveLength(3);
  });

  describe("ids", () => {
    it.each([
      ["2403.12345", "2403.12345"],
      ["2403.12345v2", "2403.12345"],
      [" 2403.12345 ", "2403.12345"],
      ["1412.6980", "1412.6980"],
    ])("accepts %j as %j", (raw, id) => {
      expect(parseDailyPapers([hfItem({ paper: { id: raw } })]).papers[0]?.id).toBe(id);
    });

    it.each(["2413.12345", "2403.123", "2403.123456", "2403.12345v0", "../2403.12345", "2403.12345/x", ""])(
      "rejects %j",
      (raw) => {
        expect(parseDailyPapers([hfItem({ paper: { id: raw } })]).dropped).toHaveLength(1);
      },
    );
  });

  describe("text", () => {
    it("keeps HTML, entities and TeX in titles as literal text, whitespace collapsed", () => {
      const title = '  <script>alert("x")</script>\n\tQ&amp;A &  <b>$\\mathcal{O}(n^2)$</b>   attention\r\n';
      const [paper] = parseDailyPapers([hfItem({ paper: { title } })]).papers;
      expect(paper?.title).toBe('<script>alert("x")</script> Q&amp;A & <b>$\\mathcal{O}(n^2)$</b> attention');
    });

    it("collapses whitespace and control characters in abstracts, authors and keywords", () => {
      const [paper] = parseDailyPapers([
        hfItem({
          paper: {
            summary: "First line,\nsecond\u0000line;\u00a0\u00a0spaced\t\ttabs.\n\n",
            authors: [{ name: " Ada\n Lovelace " }, { name: "" }, { name: 7 }, "Not an object", { _id: "x" }],
            ai_keywords: ["  graph\nneural  networks ", "", 3, "LLM"],
            ai_summary: "   ",
          },
        }),
      ]).papers;
      expect(paper?.summary).toBe("First line, second line; spaced tabs.");
      expect(paper?.authors).toEqual(["Ada Lovelace"]);
      expect(paper?.aiKeywords).toEqual(["graph neural networks", "LLM"]);
      expect(paper?.aiSummary).toBeNull();
    });

    it("falls back to the item's own title when the paper has none", () => {
      const [paper] = parseDailyPapers([hfItem({ paper: { title: undefined }, title: "Fallback\ntitle" })]).papers;
      expect(paper?.title).toBe("Fallback title");
    });

    it("keeps a paper with no abstract, with an empty summary", () => {
      const [paper] = parseDailyPapers([hfItem({ paper: { summary: undefined } })]).papers;
      expect(paper?.summary).toBe("");
    });

    it("keeps the longest real abstracts whole", () => {
      const items = LONGEST_ABSTRACTS.map(([title, summary]) => hfItem({ paper: { title, summary } }));
      const { papers, dropped } = parseDailyPapers(items);
      expect(dropped).toEqual([]);
      expect(papers.map((paper) => paper.summary)).toEqual(LONGEST_ABSTRACTS.map(([, summary]) => summary));
      expect(Math.min(...papers.map((paper) => paper.summary.length))).toBeGreaterThan(1900);
    });

    it("cuts an absurdly long abstract and title at a word boundary, marked with an ellipsis", () => {
      const huge = LONGEST_ABSTRACTS.map(([, summary]) => summary).join(" ").repeat(20);
      const [paper] = parseDailyPapers([hfItem({ paper: { summary: huge, title: "Long title ".repeat(100) } })]).papers;
      expect(huge.length).toBeGreaterThan(100_000);
      expect(paper?.summary.length).toBeLessThanOrEqual(5000);
      expect(paper?.summary.length).toBeGreaterThan(4000);
      expect(paper?.summary.endsWith("…")).toBe(true);
      expect(huge.startsWith(paper!.summary.slice(0, -1))).toBe(true);
      expect(paper?.summary.at(-2)).not.toBe(" ");
      expect(paper?.title.length).toBeLessThanOrEqual(500);
      expect(paper?.title).toMatch(/ (Long|title)…$/);
    });

    it("never cuts inside a surrogate pair", () => {
      const summary = "🧪".repeat(3000);
      const [paper] = parseDailyPapers([hfItem({ paper: { summary } })]).papers;
      expect(paper?.summary.endsWith("🧪…")).toBe(true);
      // A lone surrogate would not survive a UTF-8 round trip.
      expect(new TextDecoder().decode(new TextEncoder().encode(paper?.summary))).toBe(paper?.summary);
    });
  });

  describe("links", () => {
    it.each([
      ["javascript:alert(1)", null],
      ["ftp://example.com/code", null],
      ["github.com/example/repo", null],
      ["/papers/2411.04905", null],
      ["N/A", null],
      ["", null],
      ["https://user:secret@github.com/example/repo", null],
      ["https://github.com/example/repo with space", null],
      [42, null],
      ["  https://github.com/example/repo  ", "https://github.com/example/repo"],
      ["http://example.org/project", "http://example.org/project"],
    ])("githubRepo, projectPage and thumbnail %j become %j", (raw, expected) => {
      const [paper] = parseDailyPapers([hfItem({ paper: { githubRepo: raw, projectPage: raw }, thumbnail: raw })]).papers;
      expect(paper).toMatchObject({ githubRepo: expected, projectPage: expected, thumbnail: expected });
    });
  });

  describe("numbers and dates", () => {
    it("defaults missing or invalid counts", () => {
      const [paper] = parseDailyPapers([
        hfItem({ paper: { upvotes: undefined, githubStars: -3 }, numComments: undefined }),
      ]).papers;
      expect(paper).toMatchObject({ upvotes: 0, numComments: 0, githubStars: null });
    });

    it.each([["12"], [1.5], [-1], [Number.NaN], [null]])("treats upvotes %j as 0", (upvotes) => {
      expect(parseDailyPapers([hfItem({ paper: { upvotes } })]).papers[0]?.upvotes).toBe(0);
    });

    it("falls back to the item's publishedAt and normalises timestamps to UTC", () => {
      const [paper] = parseDailyPapers([
        hfItem({
          paper: { publishedAt: undefined, submittedOnDailyAt: "not a date" },
          publishedAt: "2026-11-24T19:30:00+02:00",
        }),
      ]).papers;
      expect(paper?.publishedAt).toBe("2026-11-24T17:30:00.000Z");
      expect(paper?.submittedOnDailyAt).toBeNull();
    });
  });
});
