import { truncateAtWord } from "../lib/text";
import type { PaperFacts } from "./paper-facts";

/** Longest summary a digest shows under a title; about two lines on a phone. */
export const SUMMARY_MAX_LENGTH = 280;

/** Words whose trailing period does not end a sentence. Compared lower-case. */
const ABBREVIATIONS = new Set([
  "e.g", "i.e", "al", "etc", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "ref", "refs", "approx", "resp",
]);

/**
 * The one-line summary shown under a paper's title: Hugging Face's AI summary when there
 * is one, else the abstract's leading sentences that fit in `maxLength` characters. A first
 * sentence that is longer on its own is cut at a word boundary and ends with "…".
 *
 * @example oneLineSummary({ aiSummary: null, summary: "We do X. Then Y." }, 10) // "We do X."
 */
export function oneLineSummary(
  paper: Pick<PaperFacts, "aiSummary" | "summary">,
  maxLength: number = SUMMARY_MAX_LENGTH,
): string {
  const ai = collapse(paper.aiSummary ?? "");
  return leadingSentences(ai !== "" ? ai : collapse(paper.summary), maxLength);
}

/** Whole sentences from the start of `text` that fit in `maxLength`, or a word-boundary cut. */
function leadingSentences(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = 0;
  for (const boundary of sentenceEnds(text)) {
    if (boundary > maxLength) break;
    end = boundary;
  }
  if (end > 0) return text.slice(0, end);
  return truncateAtWord(text, maxLength);
}

/** Indexes just past each sentence-ending punctuation mark (and any closing quote or bracket). */
function* sentenceEnds(text: string): Generator<number> {
  const candidate = /[.!?]+["'”’)\]]*(?=\s+(\S))/g;
  for (let match = candidate.exec(text); match; match = candidate.exec(text)) {
    const next = match[1] ?? "";
    // A sentence starts with a capital, a digit, a quote or a bracket; "e.g. the" does not.
    if (next.toLowerCase() !== next.toUpperCase() && next === next.toLowerCase()) continue;
    if (match[0].startsWith(".") && isAbbreviation(text, match.index)) continue;
    yield match.index + match[0].length;
  }
}

function isAbbreviation(text: string, periodIndex: number): boolean {
  const word = /(\S+)$/.exec(text.slice(0, periodIndex))?.[1] ?? "";
  const bare = word.replace(/^[("'“‘[]+/, "").toLowerCase();
  // Single letters are initials ("J. Smith") or list markers, not sentences.
  return ABBREVIATIONS.has(bare) || /^\p{L}$/u.test(bare);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
