/**
 * Builders for raw Hugging Face Daily Papers items, shaped like real answers of
 * `GET https://huggingface.co/api/daily_papers?date=…` (fields paperboy ignores included),
 * and for a busy day of papers the benchmarks render and send.
 */
import type { Paper } from "../../src/papers/paper";
import { seededRandom } from "./random";
export interface HfItemOverrides {
  /** Merged into the item's `paper` object; `undefined` values delete a field, `paper: undefined` the whole object. */
  paper?: Record<string, unknown>;
  /** Any other key is merged into the item itself; `undefined` values delete a field. */
  [key: string]: unknown;
}

let counter = 0;

/** A fresh, unique arXiv id in a range no fixture sets by hand. */
export function nextArxivId(): string {
  counter += 1;
  return `2611.${String(80000 + counter).padStart(5, "0")}`;
}

/**
 * One realistic item. Each call gets a new id unless `paper.id` is given.
 *
 * @example hfItem({ paper: { upvotes: 42 }, numComments: 3 })
 */
export function hfItem(overrides: HfItemOverrides = {}): Record<string, unknown> {
  const { paper: paperOverrides = {}, ...itemOverrides } = overrides;
  if ("paper" in overrides && overrides.paper === undefined) itemOverrides.paper = undefined;
  const id = typeof paperOverrides.id === "string" ? paperOverrides.id : nextArxivId();
  const title = "Scaling Laws for Sparse Mixture-of-Experts\nLanguage Models";
  const paper = withOverrides(
    {
      id,
      authors: [
        { _id: "6751a0f1c4e1d2a3b4c5d6e1", name: "Mira Castellanos", hidden: false },
        { _id: "6751a0f1c4e1d2a3b4c5d6e2", name: "Tobias Lindqvist", hidden: false },
        {
          _id: "6751a0f1c4e1d2a3b4c5d6e3",
          name: "Yuki Hoshino",
          hidden: false,
          user: { _id: "64b0c2d3e4f5a6b7c8d9e0f1", avatarUrl: "/avatars/yuki.svg", fullname: "Yuki Hoshino", user: "yhoshino", type: "user" },
        },
      ],
      mediaUrls: [`https://cdn-uploads.huggingface.co/production/uploads/${id}/figure1.png`],
      publishedAt: "2026-11-24T17:59:58.000Z",
      submittedOnDailyAt: "2026-11-25T01:12:43.512Z",
      title,
      submittedOnDailyBy: { _id: "60f1abe7544c2adfd699860c", avatarUrl: "/avatars/akhaliq.svg", isPro: false, fullname: "AK", user: "akhaliq", type: "user" },
      summary:
        "We study how the loss of sparse mixture-of-experts language models scales with the number of\nexperts, the active parameters and the training tokens. Across 300 training runs we find that\nrouting granularity matters more than total parameter count, and we derive a compute-optimal\nrecipe that matches dense models with 3x less training compute.",
      upvotes: 57,
      discussionId: "6751a0f1c4e1d2a3b4c5d6ff",
      githubRepo: "https://github.com/example-lab/moe-scaling",
      githubRepoAddedBy: "user",
      ai_summary: "Sparse mixture-of-experts models follow predictable scaling laws in which routing granularity matters most.",
      ai_keywords: ["mixture-of-experts", "scaling laws", "compute-optimal training"],
      githubStars: 1234,
      projectPage: "https://example-lab.github.io/moe-scaling/",
    },
    paperOverrides,
  );
  return withOverrides(
    {
      paper,
      publishedAt: "2026-11-24T17:59:58.000Z",
      title,
      thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`,
      numComments: 4,
      submittedBy: { _id: "60f1abe7544c2adfd699860c", avatarUrl: "/avatars/akhaliq.svg", fullname: "AK", name: "akhaliq", type: "user" },
      isAuthorParticipating: false,
    },
    itemOverrides,
  );
}

/** `count` distinct items, the first with the most upvotes. */
export function hfItems(count: number, overrides: (index: number) => HfItemOverrides = () => ({})): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => {
    const { paper, ...rest } = overrides(index);
    return hfItem({ ...rest, paper: { upvotes: count - index, ...paper } });
  });
}

function withOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const result = { ...base, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete result[key];
  return result;
}

const WORDS = (
  "we propose a novel method for training large language models with sparse attention and show that " +
  "it improves reasoning benchmarks while reducing compute our approach combines reinforcement learning " +
  "from human feedback with retrieval augmented generation experiments on vision transformers diffusion " +
  "models and multimodal agents demonstrate state of the art results across tasks the code and weights " +
  "are released scaling laws tokenizer alignment evaluation robustness efficient inference quantization"
).split(" ");

function sentence(next: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)]!);
  const text = picked.join(" ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function prose(next: () => number, chars: number): string {
  let out = "";
  while (out.length < chars) out += `${out ? " " : ""}${sentence(next, 12 + Math.floor(next() * 14))}`;
  return out;
}

/**
 * `count` papers shaped like a busy day on Hugging Face: arXiv-length abstracts (about 1,500
 * characters), an AI summary, 3 to 14 authors, keywords, links; the first has the most upvotes.
 * The same seed gives the same papers, so every run benchmarks the same text.
 */
export function busyDayPapers(count: number, seed = 7): Paper[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => ({
    id: `2611.${String(10001 + index).padStart(5, "0")}`,
    title: sentence(next, 8 + Math.floor(next() * 8)).replace(/\.$/, ""),
    summary: prose(next, 1200 + Math.floor(next() * 600)),
    aiSummary: prose(next, 180),
    aiKeywords: Array.from({ length: 5 }, () => WORDS[Math.floor(next() * WORDS.length)]!),
    authors: Array.from({ length: 3 + Math.floor(next() * 12) }, (_, n) => `Author ${index}-${n} Example`),
    upvotes: 500 - index * 7,
    numComments: Math.floor(next() * 20),
    publishedAt: "2026-11-24T17:59:58.000Z",
    submittedOnDailyAt: "2026-11-25T01:12:43.512Z",
    githubRepo: index % 2 === 0 ? `https://github.com/example-lab/project-${index}` : null,
    githubStars: index % 2 === 0 ? 100 + index : null,
    projectPage: index % 3 === 0 ? `https://example-lab.github.io/project-${index}/` : null,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2611.${10001 + index}.png`,
  }));
}

/** Papers as items of Hugging Face's `GET /api/daily_papers`, for the mock to serve. */
export function hfItemsOf(papers: readonly Paper[]): Record<string, unknown>[] {
  return papers.map((paper) =>
    hfItem({
      paper: {
        id: paper.id,
        title: paper.title,
        summary: paper.summary,
        ai_summary: paper.aiSummary ?? undefined,
        ai_keywords: paper.aiKeywords,
        authors: paper.authors.map((name) => ({ name, hidden: false })),
        upvotes: paper.upvotes,
        publishedAt: paper.publishedAt,
        submittedOnDailyAt: paper.submittedOnDailyAt ?? undefined,
        githubRepo: paper.githubRepo ?? undefined,
        githubStars: paper.githubStars ?? undefined,
        projectPage: paper.projectPage ?? undefined,
      },
      title: paper.title,
      publishedAt: paper.publishedAt,
      numComments: paper.numComments,
      thumbnail: paper.thumbnail ?? undefined,
    }),
  );
}
