import type { PaperLink } from "../../emails/_components/digest-props";
import { httpUrl } from "../lib/text";

/**
 * What presentation reads of a paper. A `Paper` from papers/ fits; declared here so that
 * presentation and the templates depend on nothing above them.
 */
export interface PaperFacts {
  /** arXiv id, e.g. "2403.12345"; also the Hugging Face page id. */
  id: string;
  title: string;
  summary: string;
  aiSummary: string | null;
  authors: readonly string[];
  upvotes: number;
  numComments: number;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
}

/** How many authors a digest names before "et al.". */
const AUTHORS_SHOWN = 3;

/** @example authorLine(["A", "B", "C", "D"]) // "A, B, C et al." */
function authorLine(authors: readonly string[]): string {
  const shown = authors.slice(0, AUTHORS_SHOWN).join(", ");
  return authors.length > AUTHORS_SHOWN ? `${shown} et al.` : shown;
}

/** @example statsLine({ upvotes: 120, numComments: 1 }) // "120 upvotes · 1 comment" */
export function statsLine(paper: Pick<PaperFacts, "upvotes" | "numComments">): string {
  const parts = [plural(paper.upvotes, "upvote")];
  if (paper.numComments > 0) parts.push(plural(paper.numComments, "comment"));
  return parts.join(" · ");
}

/** Authors and counts on one line, as the email, its text part and the web page show them. */
export function bylineOf(paper: Pick<PaperFacts, "authors" | "upvotes" | "numComments">): string {
  const authors = authorLine(paper.authors);
  return authors ? `${authors} · ${statsLine(paper)}` : statsLine(paper);
}


/** The paper's own page on Hugging Face, where every title links. */
export function huggingFaceUrl(paper: Pick<PaperFacts, "id">): string {
  return `https://huggingface.co/papers/${paper.id}`;
}

/**
 * Every link a digest shows for a paper, Hugging Face first. Code and project links come from
 * paper authors, so only absolute http(s) URLs are kept: no `javascript:` or relative links.
 */
export function paperLinkList(paper: Pick<PaperFacts, "id" | "githubRepo" | "githubStars" | "projectPage">): PaperLink[] {
  const links: PaperLink[] = [
    { kind: "huggingFace", label: "Hugging Face", href: huggingFaceUrl(paper) },
    { kind: "arxiv", label: "arXiv", href: `https://arxiv.org/abs/${paper.id}` },
    { kind: "pdf", label: "PDF", href: `https://arxiv.org/pdf/${paper.id}` },
  ];
  const code = httpUrl(paper.githubRepo);
  if (code) {
    const stars = paper.githubStars ? ` (${compactCount(paper.githubStars)} ${paper.githubStars === 1 ? "star" : "stars"})` : "";
    const host = new URL(code).hostname.replace(/^www\./, "");
    links.push({ kind: "code", label: `Code on ${host === "github.com" ? "GitHub" : host}${stars}`, href: code });
  }
  const project = httpUrl(paper.projectPage);
  if (project) links.push({ kind: "project", label: "Project page", href: project });
  return links;
}

/** @example compactCount(1234) // "1.2k" */
function compactCount(n: number): string {
  if (n < 1000) return String(n);
  const thousands = n / 1000;
  return `${thousands < 10 ? Math.floor(thousands * 10) / 10 : Math.floor(thousands)}k`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? word : `${word}s`}`;
}
