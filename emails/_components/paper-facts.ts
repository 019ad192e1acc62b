import { type Paper, paperLinks } from "../../src/papers/paper";

/** How many authors a digest names before "et al.". */
const AUTHORS_SHOWN = 3;

/** @example authorLine(["A", "B", "C", "D"]) // "A, B, C et al." */
export function authorLine(authors: readonly string[]): string {
  const shown = authors.slice(0, AUTHORS_SHOWN).join(", ");
  return authors.length > AUTHORS_SHOWN ? `${shown} et al.` : shown;
}

/** @example statsLine({ upvotes: 120, numComments: 1 }) // "120 upvotes · 1 comment" */
export function statsLine(paper: Pick<Paper, "upvotes" | "numComments">): string {
  const parts = [plural(paper.upvotes, "upvote")];
  if (paper.numComments > 0) parts.push(plural(paper.numComments, "comment"));
  return parts.join(" · ");
}

export interface PaperLink {
  kind: "huggingFace" | "arxiv" | "pdf" | "code" | "project";
  /** Says where the link goes, e.g. "Code on GitHub (1.2k stars)". */
  label: string;
  href: string;
}

/**
 * Every link a digest shows for a paper, Hugging Face first. Code and project links come from
 * paper authors, so only absolute http(s) URLs are kept: no `javascript:` or relative links.
 */
export function paperLinkList(paper: Pick<Paper, "id" | "githubRepo" | "githubStars" | "projectPage">): PaperLink[] {
  const fixed = paperLinks(paper);
  const links: PaperLink[] = [
    { kind: "huggingFace", label: "Hugging Face", href: fixed.huggingFace },
    { kind: "arxiv", label: "arXiv", href: fixed.arxiv },
    { kind: "pdf", label: "PDF", href: fixed.pdf },
  ];
  const code = webUrl(paper.githubRepo);
  if (code) {
    const stars = paper.githubStars ? ` (${compactCount(paper.githubStars)} ${paper.githubStars === 1 ? "star" : "stars"})` : "";
    const host = new URL(code).hostname.replace(/^www\./, "");
    links.push({ kind: "code", label: `Code on ${host === "github.com" ? "GitHub" : host}${stars}`, href: code });
  }
  const project = webUrl(paper.projectPage);
  if (project) links.push({ kind: "project", label: "Project page", href: project });
  return links;
}

/** @example compactCount(1234) // "1.2k" */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  const thousands = n / 1000;
  return `${thousands < 10 ? Math.floor(thousands * 10) / 10 : Math.floor(thousands)}k`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? word : `${word}s`}`;
}

function webUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}
