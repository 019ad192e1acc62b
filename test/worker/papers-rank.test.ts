import { describe, expect, it } from "vitest";
import { rankPapers } from "../../src/papers/rank";
import { makePaper } from "../fixtures/papers";

const ids = (papers: { id: string }[]) => papers.map((paper) => paper.id);

describe("rankPapers", () => {
  it("orders by upvotes, most first, and keeps the top `size`", () => {
    const papers = [
      makePaper({ id: "2411.00001", upvotes: 5 }),
      makePaper({ id: "2411.00002", upvotes: 80 }),
      makePaper({ id: "2411.00003", upvotes: 12 }),
      makePaper({ id: "2411.00004", upvotes: 300 }),
    ];
    expect(ids(rankPapers(papers, { size: 3 }))).toEqual(["2411.00004", "2411.00002", "2411.00003"]);
  });

  it("breaks upvote ties by comments, then the newest first, then by id", () => {
    const papers = [
      makePaper({ id: "2411.00009", upvotes: 40, numComments: 1, publishedAt: "2026-11-20T00:00:00.000Z" }),
      makePaper({ id: "2411.00002", upvotes: 40, numComments: 1, publishedAt: "2026-11-20T00:00:00.000Z" }),
      makePaper({ id: "2411.00003", upvotes: 40, numComments: 1, publishedAt: "2026-11-24T00:00:00.000Z" }),
      makePaper({ id: "2411.00004", upvotes: 40, numComments: 7, publishedAt: "2026-11-01T00:00:00.000Z" }),
      makePaper({ id: "2411.00005", upvotes: 41, numComments: 0, publishedAt: "2026-10-01T00:00:00.000Z" }),
    ];
    const expected = ["2411.00005", "2411.00004", "2411.00003", "2411.00002", "2411.00009"];
    expect(ids(rankPapers(papers, { size: 10 }))).toEqual(expected);
    expect(ids(rankPapers([...papers].reverse(), { size: 10 }))).toEqual(expected);
  });

  it("compares timestamps as instants, not strings, and sorts unreadable ones last", () => {
    const papers = [
      makePaper({ id: "2411.00001", publishedAt: "not a date" }),
      makePaper({ id: "2411.00002", publishedAt: "2026-11-24T10:00:00+05:00" }),
      makePaper({ id: "2411.00003", publishedAt: "2026-11-24T06:00:00.000Z" }),
    ];
    expect(ids(rankPapers(papers, { size: 3 }))).toEqual(["2411.00003", "2411.00002", "2411.00001"]);
  });

  it("leaves out papers already sent", () => {
    const papers = [
      makePaper({ id: "2411.00001", upvotes: 90 }),
      makePaper({ id: "2411.00002", upvotes: 80 }),
      makePaper({ id: "2411.00003", upvotes: 70 }),
      makePaper({ id: "2411.00004", upvotes: 60 }),
    ];
    const ranked = rankPapers(papers, { size: 2, exclude: new Set(["2411.00001", "2411.00003"]) });
    expect(ids(ranked)).toEqual(["2411.00002", "2411.00004"]);
  });

  it("keeps each paper once, the copy with the better rank", () => {
    const papers = [
      makePaper({ id: "2411.00001", upvotes: 3, title: "stale copy" }),
      makePaper({ id: "2411.00002", upvotes: 5 }),
      makePaper({ id: "2411.00001", upvotes: 9, title: "fresh copy" }),
    ];
    const ranked = rankPapers(papers, { size: 3 });
    expect(ids(ranked)).toEqual(["2411.00001", "2411.00002"]);
    expect(ranked[0]?.title).toBe("fresh copy");
  });

  it("returns fewer than `size` when there are not enough papers, and none for size 0", () => {
    const papers = [makePaper(), makePaper()];
    expect(rankPapers(papers, { size: 10 })).toHaveLength(2);
    expect(rankPapers(papers, { size: 0 })).toEqual([]);
    expect(rankPapers([], { size: 10 })).toEqual([]);
  });

  it("does not reorder the caller's array", () => {
    const papers = [makePaper({ upvotes: 1 }), makePaper({ upvotes: 2 })];
    const before = ids(papers);
    rankPapers(papers, { size: 2 });
    expect(ids(papers)).toEqual(before);
  });

  it.each([-1, 1.5, Number.NaN])("rejects size %s", (size) => {
    expect(() => rankPapers([], { size })).toThrow(RangeError);
  });
});
