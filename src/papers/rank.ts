/**
 * Which papers make a digest: the most upvoted first, each paper once, none sent before.
 */
import type { Paper } from "./paper";

export interface RankOptions {
  /** How many papers to keep. */
  size: number;
  /** Ids already sent in an earlier digest. */
  exclude?: ReadonlySet<string>;
}

/**
 * The top `size` papers, ordered by upvotes, then comments, then the newest first, then id,
 * so that the same input always yields the same digest.
 *
 * @example rankPapers(papers, { size: 10, exclude: new Set(["2403.12345"]) })
 */
export function rankPapers(papers: readonly Paper[], options: RankOptions): Paper[] {
  const { size, exclude } = options;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a whole number >= 0, got ${size}`);
  const seen = new Set<string>();
  const ranked: Paper[] = [];
  for (const paper of [...papers].sort(compareForDigest)) {
    if (ranked.length === size) break;
    if (seen.has(paper.id) || exclude?.has(paper.id)) continue;
    seen.add(paper.id);
    ranked.push(paper);
  }
  return ranked;
}

/** Sort order of a digest: negative when `a` comes first. */
function compareForDigest(a: Paper, b: Paper): number {
  return (
    b.upvotes - a.upvotes ||
    b.numComments - a.numComments ||
    time(b.publishedAt) - time(a.publishedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Unparseable timestamps sort as the oldest; a finite stand-in keeps the subtraction free of NaN. */
function time(timestamp: string): number {
  const value = Date.parse(timestamp);
  return Number.isFinite(value) ? value : Number.MIN_SAFE_INTEGER;
}
