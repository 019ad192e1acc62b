/** One paper as paperboy uses it, parsed from a Hugging Face Daily Papers item. All fields are plain text. */
export interface Paper {
  /** arXiv id, e.g. "2403.12345"; also the Hugging Face page id. */
  id: string;
  title: string;
  /** The abstract, whitespace collapsed. */
  summary: string;
  /** Hugging Face's one-sentence AI summary, when it has one. */
  aiSummary: string | null;
  aiKeywords: string[];
  authors: string[];
  upvotes: number;
  numComments: number;
  /** ISO 8601 timestamps. */
  publishedAt: string;
  submittedOnDailyAt: string | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  thumbnail: string | null;
}
