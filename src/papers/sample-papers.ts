/**
 * Papers for local development when Hugging Face is unreachable (the dev machine is often offline).
 *
 * Titles and abstracts are real: twelve papers from a Daily Papers page (test/fixtures keeps the
 * longest ones for stress tests), picked to span short to long abstracts and to include literal
 * `<...>`, TeX and backslashes. Everything else is invented: the authors, the counts, and ids in
 * the `2403.99xxx` range, which is valid arXiv syntax but beyond any month's real submissions,
 * so a sample link never leads to an unrelated real paper.
 */
import type { Paper } from "./paper";
import SAMPLES from "./sample-papers.json";

const PUBLISHED_AT = "2024-03-15T00:00:00.000Z";
const SUBMITTED_ON_DAILY_AT = "2024-03-17T08:00:00.000Z";

/** A fresh copy each call, so callers may sort or edit it freely. */
export function samplePapers(): Paper[] {
  return SAMPLES.map((sample) => ({
    ...sample,
    authors: [...sample.authors],
    aiSummary: null,
    aiKeywords: [],
    publishedAt: PUBLISHED_AT,
    submittedOnDailyAt: SUBMITTED_ON_DAILY_AT,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    thumbnail: null,
  }));
}
