import { describe, expect, it } from "vitest";
import { oneLineSummary, SUMMARY_MAX_LENGTH } from "../../src/presentation/summary";
import { texToText } from "../../src/presentation/tex";
import { longPapers } from "../fixtures/long-papers";

const abstract = (summary: string, aiSummary: string | null = null) => ({ summary, aiSummary });

describe("the one-line summary under a paper's title", () => {
  it("prefers Hugging Face's AI summary and falls back to the abstract when it is missing or blank", () => {
    expect(oneLineSummary(abstract("The abstract.", "The AI summary."))).toBe("The AI summary.");
    expect(oneLineSummary(abstract("The abstract.", null))).toBe("The abstract.");
    expect(oneLineSummary(abstract("The abstract.", "  \n "))).toBe("The abstract.");
  });

  it("is one sentence, however many fit", () => {
    const text = "First sentence is here. Second one asks why? Third one is short.";
    expect(oneLineSummary(abstract(text))).toBe("First sentence is here.");
    expect(oneLineSummary(abstract("", "It works! And it is cheap."))).toBe("It works!");
    expect(oneLineSummary(abstract("A single sentence without a full stop"))).toBe("A single sentence without a full stop");
  });

  it("does not end a sentence at e.g., i.e., et al., a decimal point or an initial", () => {
    const first = "Code data, e.g. Python, and the recipe of J. Lee et al. (2023) lift reasoning by 2.5 points, i.e. Twice as much.";
    expect(oneLineSummary(abstract(`${first} A second sentence follows.`))).toBe(first);
  });

  it("never ends a sentence inside brackets or a formula", () => {
    expect(oneLineSummary(abstract("We study tensors (see Sec. 3. It is long.) in depth. More follows."))).toBe(
      "We study tensors (see Sec. 3. It is long.) in depth.",
    );
    expect(oneLineSummary(abstract("Each entry $T[i,.,.]. X$ is a slice. More follows."))).toBe(texToText("Each entry $T[i,.,.]. X$ is a slice."));
  });

  it("cuts a sentence longer than about 220 characters between words, outside brackets and formulas, and marks the cut", () => {
    const words = "scalable multimodal reasoning with sparse mixture-of-experts transformers, ";
    const text = `We study ${words.repeat(6)}and more.`;
    const cut = oneLineSummary(abstract(text));
    expect(SUMMARY_MAX_LENGTH).toBe(220);
    expect(cut.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(cut.length).toBeGreaterThan(SUMMARY_MAX_LENGTH - 40);
    expect(cut).toMatch(/[a-z]…$/); // no dangling comma or space before the ellipsis
    expect(text.startsWith(cut.slice(0, -1))).toBe(true);

    const formula = `${"We report results on many benchmarks ".repeat(5)}with error $T[i, j, k] \\leq \\epsilon \\cdot \\sum_{n} a_n b_n c_n d_n e_n$ and many more words after it, enough to pass the limit.`;
    const cutFormula = oneLineSummary(abstract(formula));
    expect(cutFormula).toMatch(/benchmarks with error…$/);
    const bracket = `${"We report results on many benchmarks ".repeat(5)}(with details on the setup, the data and the training recipe of every model) and more.`;
    expect(oneLineSummary(abstract(bracket))).toMatch(/benchmarks…$/);
  });

  it("measures the summary as the reader sees it: TeX converted", () => {
    const tex = "$\\mathcal{O}(n)$ ".repeat(60).trim();
    const summary = oneLineSummary(abstract(`${tex}.`));
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(summary).not.toContain("\\mathcal");
  });

  it("turns every one of the longest real abstracts into one sentence within the limit", () => {
    for (const { summary } of longPapers) {
      const line = oneLineSummary({ summary, aiSummary: null });
      expect(line.length, line).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
      expect(line.length, line).toBeGreaterThan(30);
      expect(texToText(summary.replace(/\s+/g, " ")).startsWith(line.replace(/…$/, "")), line).toBe(true);
      expect(line, line).toMatch(/([.!?]["')\]]*|[^\s,;:]…)$/);
      expect(line.slice(0, -1), line).not.toMatch(/[.!?] [A-Z]/); // no second sentence
    }
  });
});
