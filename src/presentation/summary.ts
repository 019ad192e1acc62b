import { truncateAtWord } from "../lib/text";
import type { PaperFacts } from "./paper-facts";
import { texToText } from "./tex";

/** Longest summary a digest shows under a title; about two lines on a phone. */
export const SUMMARY_MAX_LENGTH = 220;

/** Words whose trailing period does not end a sentence. Compared lower-case. */
const ABBREVIATIONS = new Set([
  "e.g", "i.e", "al", "etc", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "ref", "refs", "approx", "resp",
]);

/**
 * The one-line summary shown under a paper's title: one sentence, as readable text. Hugging Face's
 * AI summary when there is one, else the abstract; of either, the first sentence, ended at a real
 * boundary (not after "e.g.", a decimal point or an initial, never inside brackets or a TeX
 * formula). A sentence longer than `maxLength` characters (as the reader sees it, TeX converted) is
 * cut between words, again outside brackets and formulas, and ends with "…".
 *
 * @example oneLineSummary({ aiSummary: null, summary: "We do X. Then Y." }) // "We do X."
 */
export function oneLineSummary(
  paper: Pick<PaperFacts, "aiSummary" | "summary">,
  maxLength: number = SUMMARY_MAX_LENGTH,
): string {
  const ai = collapse(paper.aiSummary ?? "");
  const text = ai !== "" ? ai : collapse(paper.summary);
  const guarded = guardedSpans(text);
  const end = firstSentenceEnd(text, guarded) ?? text.length;
  const sentence = texToText(text.slice(0, end));
  if (sentence.length <= maxLength) return sentence;
  return cutBetweenWords(text.slice(0, end), guarded, maxLength) ?? truncateAtWord(sentence, maxLength);
}

/** Index just past the first sentence's closing punctuation (and any closing quote), or null for one sentence. */
function firstSentenceEnd(text: string, guarded: boolean[]): number | null {
  const candidate = /[.!?]+["'”’]*(?=\s+(\S))/g;
  for (let match = candidate.exec(text); match; match = candidate.exec(text)) {
    if (guarded[match.index]) continue;
    const next = match[1] ?? "";
    // A sentence starts with a capital, a digit, a quote or a bracket; "e.g. the" does not.
    if (next.toLowerCase() !== next.toUpperCase() && next === next.toLowerCase()) continue;
    if (match[0].startsWith(".") && isAbbreviation(text, match.index)) continue;
    return match.index + match[0].length;
  }
  return null;
}

/**
 * The longest start of `sentence`, cut at a space outside brackets and formulas, that reads (TeX
 * converted, with "…") in `maxLength` characters; null when no such space exists.
 */
function cutBetweenWords(sentence: string, guarded: boolean[], maxLength: number): string | null {
  for (let index = sentence.lastIndexOf(" "); index > 0; index = sentence.lastIndexOf(" ", index - 1)) {
    if (guarded[index]) continue;
    const kept = texToText(sentence.slice(0, index).replace(/[\s,;:–—-]+$/u, ""));
    if (kept !== "" && kept.length < maxLength) return `${kept}…`;
  }
  return null;
}

/** Closers of the spans a summary is never cut inside: brackets, and TeX's `$…$`, `$$…$$`, `\(…\)`, `\[…\]`. */
const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}", $: "$", $$: "$$", "\\(": "\\)", "\\[": "\\]" };

/**
 * For each character, whether it sits inside a bracket or a formula. Only spans that close count:
 * an opener never closed (a stray "(" or a price in dollars) guards nothing.
 */
function guardedSpans(text: string): boolean[] {
  const guarded = new Array<boolean>(text.length).fill(false);
  const open: { token: string; at: number }[] = [];
  for (let index = 0; index < text.length; ) {
    const token = tokenAt(text, index);
    const innermost = open.at(-1);
    const closes = open.findLastIndex((opener) => CLOSERS[opener.token] === token);
    // Inside a formula only its own closer counts and nothing opens; elsewhere a closer also ends the openers left open inside it.
    if (closes >= 0 && (!isFormula(innermost?.token) || closes === open.length - 1)) {
      const { at } = open[closes]!;
      guarded.fill(true, at, index + token.length);
      open.length = closes;
    } else if (token in CLOSERS && !isFormula(innermost?.token)) {
      open.push({ token, at: index });
    }
    index += token.length;
  }
  return guarded;
}

function tokenAt(text: string, index: number): string {
  const two = text.slice(index, index + 2);
  if (two === "$$" || two === "\\(" || two === "\\)" || two === "\\[" || two === "\\]") return two;
  if (text[index] === "\\") return two; // an escape such as \$ or \{ is text, not a delimiter
  return text[index]!;
}

function isFormula(token: string | undefined): boolean {
  return token === "$" || token === "$$" || token === "\\(" || token === "\\[";
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
