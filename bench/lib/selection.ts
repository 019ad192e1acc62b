/**
 * The benchmark's own account of what each reader should get, written from the rule as the README
 * states it, without paperboy's code (only the built-in topics' keywords come from
 * src/papers/topics.ts, as data): a reader's list is the edition's papers in rank order that match
 * any of their topics, cut at their size; a topic matches when one of its keywords (or the reader's
 * own keyword) appears in the title, the abstract or Hugging Face's keywords as a whole word,
 * case-insensitively, a keyword ending in `*` also as a word's start. Readers whose lists come out
 * equal share one rendering, so the distinct non-empty lists are the renders an edition must take.
 */
import type { Paper } from "../../src/papers/paper";
import { TOPICS } from "../../src/papers/topics";

const KEYWORDS = new Map(TOPICS.map((topic) => [topic.id, topic.keywords]));
const WORD_CHAR = /[\p{L}\p{N}]/u;
const collapse = (text: string) => text.toLowerCase().replace(/\s+/g, " ");

/** Whole-word (or, with `*`, word-start) occurrence of `keyword` in `text` (already collapsed), by scanning. */
function hasWord(text: string, keyword: string): boolean {
  const prefix = keyword.endsWith("*");
  const needle = collapse(prefix ? keyword.slice(0, -1) : keyword);
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    const before = text[at - 1];
    const after = text[at + needle.length];
    if (before !== undefined && WORD_CHAR.test(before)) continue;
    if (!prefix && after !== undefined && WORD_CHAR.test(after)) continue;
    return true;
  }
  return false;
}

const texts = new WeakMap<Paper, string>();
function textOf(paper: Paper): string {
  let text = texts.get(paper);
  if (text === undefined) texts.set(paper, (text = collapse([paper.title, paper.summary, ...paper.aiKeywords].join(" \n "))));
  return text;
}

function paperMatches(paper: Paper, topics: readonly string[]): boolean {
  if (topics.length === 0) return true;
  return topics.some((topic) => (KEYWORDS.get(topic) ?? [topic]).some((keyword) => hasWord(textOf(paper), keyword)));
}

/** The reader's papers: in rank order, on their topics, at most `size`. */
export function readerList(ranked: readonly Paper[], size: number, topics: readonly string[]): Paper[] {
  const chosen: Paper[] = [];
  for (const paper of ranked) {
    if (chosen.length === size) break;
    if (paperMatches(paper, topics)) chosen.push(paper);
  }
  return chosen;
}

/** A list's identity: its paper ids in order (paperboy hashes the same string into its rendering key). */
export const listKey = (papers: readonly Paper[]) => papers.map((paper) => paper.id).join(",");

export interface ChoiceGroup {
  size: number;
  topics: readonly string[];
  readers: number;
}

/** What an edition must do for these groups of readers: its distinct non-empty lists, and who gets nothing. */
export function expectedLists(ranked: readonly Paper[], groups: readonly ChoiceGroup[]) {
  const lists = new Map<string, { papers: Paper[]; readers: number }>();
  let unmatched = 0;
  for (const group of groups) {
    if (group.readers === 0) continue;
    const papers = readerList(ranked, group.size, group.topics);
    if (papers.length === 0) {
      unmatched += group.readers;
      continue;
    }
    const key = listKey(papers);
    const entry = lists.get(key) ?? { papers, readers: 0 };
    entry.readers += group.readers;
    lists.set(key, entry);
  }
  return { lists, unmatched };
}

/** The edition's papers in the order the Worker stored them (its ranking), as the benchmark's own objects. */
export function inStoredOrder(served: readonly Paper[], storedIds: readonly string[]): Paper[] {
  const byId = new Map(served.map((paper) => [paper.id, paper]));
  return storedIds.map((id) => {
    const paper = byId.get(id);
    if (!paper) throw new Error(`the edition holds paper ${id}, which the mock never served`);
    return paper;
  });
}
