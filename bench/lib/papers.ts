import type { Paper } from "../../src/papers/paper";

const WORDS = (
  "we propose a novel method for training large language models with sparse attention and show that " +
  "it improves reasoning benchmarks while reducing compute our approach combines reinforcement learning " +
  "from human feedback with retrieval augmented generation experiments on vision transformers diffusion " +
  "models and multimodal agents demonstrate state of the art results across tasks the code and weights " +
  "are released scaling laws tokenizer alignment evaluation robustness efficient inference quantization"
).split(" ");

/** A small deterministic PRNG, so every run benchmarks the same text. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)]!);
  const text = picked.join(" ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function text(next: () => number, chars: number): string {
  let out = "";
  while (out.length < chars) out += `${out ? " " : ""}${sentence(next, 12 + Math.floor(next() * 14))}`;
  return out;
}

/**
 * `count` papers shaped like a busy day on Hugging Face: arXiv-length abstracts (about 1,500
 * characters), an AI summary, 3 to 14 authors, keywords, links; the first has the most upvotes.
 */
export function benchPapers(count: number, seed = 7): Paper[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, index) => ({
    id: `2611.${String(10001 + index).padStart(5, "0")}`,
    title: sentence(next, 8 + Math.floor(next() * 8)).replace(/\.$/, ""),
    summary: text(next, 1200 + Math.floor(next() * 600)),
    aiSummary: text(next, 180),
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

/** The same papers as items of Hugging Face's `GET /api/daily_papers`, for the mock to serve. */
export function hfDailyPapers(papers: Paper[]): Record<string, unknown>[] {
  return papers.map((paper) => ({
    paper: {
      id: paper.id,
      title: paper.title,
      summary: paper.summary,
      ai_summary: paper.aiSummary,
      ai_keywords: paper.aiKeywords,
      authors: paper.authors.map((name) => ({ name, hidden: false })),
      upvotes: paper.upvotes,
      publishedAt: paper.publishedAt,
      submittedOnDailyAt: paper.submittedOnDailyAt,
      githubRepo: paper.githubRepo,
      githubStars: paper.githubStars,
      projectPage: paper.projectPage,
    },
    title: paper.title,
    publishedAt: paper.publishedAt,
    numComments: paper.numComments,
    thumbnail: paper.thumbnail,
  }));
}
