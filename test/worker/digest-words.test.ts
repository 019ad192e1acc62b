/** The words of a digest that do not depend on its layout: how an edition's day or week is written, and each paper's one-line summary. */
import { describe, expect, it } from "vitest";
import { editionHeading, editionShortName, longDate } from "../../src/presentation/dates";
import { oneLineSummary, SUMMARY_MAX_LENGTH } from "../../src/presentation/summary";
import { longPapers } from "../fixtures/long-papers";

describe("longDate", () => {
  it("writes the UTC day out in English", () => {
    expect(longDate("2026-11-26")).toBe("Thursday, 26 November 2026");
    expect(longDate("2024-02-29")).toBe("Thursday, 29 February 2024");
    expect(longDate("2027-01-01")).toBe("Friday, 1 January 2027");
  });
});

describe("editionHeading and editionShortName", () => {
  it("write a daily edition as its day and a weekly one as its week and the days it spans, across months and years", () => {
    expect(editionHeading("2026-11-26")).toBe("Thursday, 26 November 2026");
    expect(editionHeading("2026-W48")).toBe("Week 48 · 23–29 November 2026");
    expect(editionHeading("2026-W49")).toBe("Week 49 · 30 November – 6 December 2026");
    expect(editionHeading("2026-W53")).toBe("Week 53 · 28 December 2026 – 3 January 2027");
    expect(editionShortName("2026-11-26")).toBe("26 Nov 2026");
    expect(editionShortName("2026-W05")).toBe("Week 5, 2026");
  });

  it("refuse what is no edition", () => {
    for (const name of ["2026-02-30", "2025-W53", "2026-W00", "26/11/2026"]) expect(() => editionHeading(name), name).toThrow(RangeError);
  });
});

describe("oneLineSummary", () => {
  const abstract = (summary: string, aiSummary: string | null = null) => ({ summary, aiSummary });

  it("prefers Hugging Face's AI summary and falls back to the abstract when it is missing or blank", () => {
    expect(oneLineSummary(abstract("The abstract.", "The AI summary."))).toBe("The AI summary.");
    expect(oneLineSummary(abstract("The abstract.", null))).toBe("The abstract.");
    expect(oneLineSummary(abstract("The abstract.", "  \n "))).toBe("The abstract.");
  });

  it("keeps as many whole sentences as fit", () => {
    const sentences = ["First sentence is here.", "Second one asks why?", "Third one is too long to fit in the limit."];
    const text = sentences.join(" ");
    expect(oneLineSummary(abstract(text), 50)).toBe("First sentence is here. Second one asks why?");
    expect(oneLineSummary(abstract(text), 30)).toBe("First sentence is here.");
    expect(oneLineSummary(abstract(text), text.length)).toBe(text);
  });

  it("does not end a sentence at e.g., i.e., et al. or a decimal point", () => {
    const first = "Code data, e.g. Python, and the recipe of Lee et al. (2023) lift reasoning by 2.5 points, i.e. Twice as much.";
    const text = `${first} A second sentence follows here and is long enough not to fit.`;
    expect(oneLineSummary(abstract(text), first.length + 10)).toBe(first);
    // When the real sentence does not fit, the cut is between words, not after "e.g." or "et al.".
    const cut = oneLineSummary(abstract(text), first.length - 5);
    expect(cut).toBe("Code data, e.g. Python, and the recipe of Lee et al. (2023) lift reasoning by 2.5 points, i.e. Twice as…");
  });

  it("cuts a first sentence longer than the limit between words and marks the cut", () => {
    const words = "scalable multimodal reasoning with sparse mixture-of-experts transformers, ";
    const text = `We study ${words.repeat(6)}and more.`;
    const cut = oneLineSummary(abstract(text));
    expect(cut.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(cut.length).toBeGreaterThan(SUMMARY_MAX_LENGTH - 40);
    expect(cut).toMatch(/[a-z]…$/); // no dangling comma or space before the ellipsis
    const kept = cut.slice(0, -1);
    expect(text.startsWith(kept)).toBe(true);
    expect(text[kept.length]).toMatch(/[\s,]/); // the last word is whole
  });

  it("cuts an over-long AI summary the same way", () => {
    const ai = `${"Very long AI summary words ".repeat(20)}end.`;
    const cut = oneLineSummary(abstract("Short abstract.", ai));
    expect(cut.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(cut.startsWith("Very long AI summary")).toBe(true);
  });

  it("turns every one of the longest real abstracts into whole sentences within the limit", () => {
    for (const { summary } of longPapers) {
      const line = oneLineSummary({ summary, aiSummary: null });
      expect(line.length, line).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
      expect(line.length, line).toBeGreaterThan(60);
      expect(summary.replace(/\s+/g, " ").startsWith(line.replace(/…$/, "")), line).toBe(true);
      expect(line, line).toMatch(/([.!?]["')\]]*|[^\s,;:]…)$/);
    }
  });
});
