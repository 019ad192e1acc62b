/**
 * Turns the JSON of Hugging Face's `GET /api/daily_papers` into `Paper`s, by hand rather than
 * with a schema library to keep the Worker bundle small.
 *
 * One bad item never costs the day: it is dropped with a reason and the rest are kept.
 * Only an answer that is not an array at all is an error, because then nothing can be trusted.
 */
import { parseArxivId } from "./arxiv-id";
import type { Paper } from "./paper";
import { count, httpUrl, isoTimestamp, plainText } from "./text";

export interface DroppedItem {
  /** Position of the item in the array it came from. */
  index: number;
  reason: string;
}

export interface ParsedDailyPapers {
  papers: Paper[];
  dropped: DroppedItem[];
}

/** The answer was not an array of items: an HTML error page, an `{ error }` object, and so on. */
export class DailyPapersShapeError extends Error {
  override name = "DailyPapersShapeError";
}

// arXiv caps abstracts at 1,920 characters and titles far below these limits; anything longer
// is not a real abstract, and would bloat every email it appears in.
const MAX_TITLE = 500;
const MAX_SUMMARY = 5000;
const MAX_AI_SUMMARY = 1000;
const MAX_AUTHOR = 200;
const MAX_KEYWORD = 100;

/**
 * @example
 * const { papers, dropped } = parseDailyPapers(await response.json());
 * @throws DailyPapersShapeError when `json` is not an array.
 */
export function parseDailyPapers(json: unknown): ParsedDailyPapers {
  if (!Array.isArray(json)) throw new DailyPapersShapeError(`expected an array of items, got ${describe(json)}`);
  const papers: Paper[] = [];
  const dropped: DroppedItem[] = [];
  json.forEach((item: unknown, index) => {
    const result = parseItem(item);
    if (typeof result === "string") dropped.push({ index, reason: result });
    else papers.push(result);
  });
  return { papers, dropped };
}

/** A `Paper`, or the reason the item cannot be one. */
function parseItem(item: unknown): Paper | string {
  if (!isRecord(item)) return `item is ${describe(item)}, not an object`;
  const paper = item.paper;
  if (!isRecord(paper)) return "item has no paper object";

  const id = parseArxivId(paper.id);
  if (!id) return `paper.id ${preview(paper.id)} is not an arXiv id`;
  // The item repeats some paper fields at the top level; the paper's own copy wins.
  const title = plainText(paper.title, MAX_TITLE) ?? plainText(item.title, MAX_TITLE);
  if (!title) return `paper ${id} has no title`;
  const publishedAt = isoTimestamp(paper.publishedAt) ?? isoTimestamp(item.publishedAt);
  if (!publishedAt) return `paper ${id} has no valid publishedAt`;

  return {
    id,
    title,
    summary: plainText(paper.summary, MAX_SUMMARY) ?? plainText(item.summary, MAX_SUMMARY) ?? "",
    aiSummary: plainText(paper.ai_summary, MAX_AI_SUMMARY),
    aiKeywords: texts(paper.ai_keywords, (keyword) => plainText(keyword, MAX_KEYWORD)),
    authors: texts(paper.authors, (author) => (isRecord(author) ? plainText(author.name, MAX_AUTHOR) : null)),
    upvotes: count(paper.upvotes) ?? 0,
    numComments: count(item.numComments) ?? 0,
    publishedAt,
    submittedOnDailyAt: isoTimestamp(paper.submittedOnDailyAt),
    githubRepo: httpUrl(paper.githubRepo),
    githubStars: count(paper.githubStars),
    projectPage: httpUrl(paper.projectPage),
    thumbnail: httpUrl(item.thumbnail),
  };
}

/** The non-empty results of `read` over `value`, or [] when it is not an array. */
function texts(value: unknown, read: (entry: unknown) => string | null): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(read).filter((text): text is string => text !== null);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short, log-safe rendering of an unexpected value. */
function preview(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : describe(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
