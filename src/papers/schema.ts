/**
 * Turns the JSON of Hugging Face's `GET /api/daily_papers` into `Paper`s.
 *
 * The item's structure is a valibot schema; the normalisers (`plainText`, `httpUrl`, …) are
 * ours, because what counts as usable text or a safe link is paperboy's decision. One bad item
 * never costs the day: it is dropped with a reason and the rest are kept. Only an answer that is
 * not an array at all is an error, because then nothing can be trusted.
 */
import * as v from "valibot";
import { count, httpUrl, isoTimestamp, plainText } from "../lib/text";
import { parseArxivId } from "./arxiv-id";
import type { Paper } from "./paper";

interface DroppedItem {
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

/** An optional field: whatever arrives, or nothing, becomes a usable value or null, never a reason to drop the item. */
const field = <T>(normalise: (value: unknown) => T) => v.optional(v.pipe(v.unknown(), v.transform(normalise)), null);
const text = (max: number) => field((value) => plainText(value, max));
const link = field(httpUrl);
const whole = field(count);
const timestamp = field(isoTimestamp);
const texts = (read: (entry: unknown) => string | null) =>
  field((value) => (Array.isArray(value) ? value.map(read).filter((entry): entry is string => entry !== null) : []));

const arxivId = v.pipe(
  v.unknown(),
  v.check((id) => parseArxivId(id) !== null, (issue) => `paper.id ${preview(issue.input)} is not an arXiv id`),
  v.transform((id) => parseArxivId(id)!),
);

const PaperEntry = v.looseObject({
  id: arxivId,
  title: text(MAX_TITLE),
  summary: text(MAX_SUMMARY),
  ai_summary: text(MAX_AI_SUMMARY),
  ai_keywords: texts((keyword) => plainText(keyword, MAX_KEYWORD)),
  authors: texts((author) => (isRecord(author) ? plainText(author.name, MAX_AUTHOR) : null)),
  upvotes: whole,
  publishedAt: timestamp,
  submittedOnDailyAt: timestamp,
  githubRepo: link,
  githubStars: whole,
  projectPage: link,
});

const DailyPapersItem = v.pipe(
  v.custom<Record<string, unknown>>(isRecord, (issue) => `item is ${describe(issue.input)}, not an object`),
  v.check((item) => isRecord(item.paper), "item has no paper object"),
  v.looseObject({
    paper: PaperEntry,
    // The item repeats some paper fields at the top level; the paper's own copy wins.
    title: text(MAX_TITLE),
    summary: text(MAX_SUMMARY),
    publishedAt: timestamp,
    numComments: whole,
    thumbnail: link,
  }),
  v.rawTransform(({ dataset, addIssue, NEVER }): Paper => {
    const { paper, ...item } = dataset.value;
    const title = paper.title ?? item.title;
    if (!title) return addIssue({ message: `paper ${paper.id} has no title` }), NEVER;
    const publishedAt = paper.publishedAt ?? item.publishedAt;
    if (!publishedAt) return addIssue({ message: `paper ${paper.id} has no valid publishedAt` }), NEVER;
    return {
      id: paper.id,
      title,
      summary: paper.summary ?? item.summary ?? "",
      aiSummary: paper.ai_summary,
      aiKeywords: paper.ai_keywords,
      authors: paper.authors,
      upvotes: paper.upvotes ?? 0,
      numComments: item.numComments ?? 0,
      publishedAt,
      submittedOnDailyAt: paper.submittedOnDailyAt,
      githubRepo: paper.githubRepo,
      githubStars: paper.githubStars,
      projectPage: paper.projectPage,
      thumbnail: item.thumbnail,
    };
  }),
);

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
    const result = v.safeParse(DailyPapersItem, item, { abortEarly: true });
    if (result.success) papers.push(result.output);
    else dropped.push({ index, reason: result.issues[0].message });
  });
  return { papers, dropped };
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
