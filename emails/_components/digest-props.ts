/**
 * What the digest template is given: plain words and formatted facts, computed in src/presentation
 * (digest-view.ts) and shared there with the plain-text part, the web page and the feed. The types
 * live with the template so that templates import nothing from src/: src imports emails, never the
 * other way round.
 */
export interface PaperLink {
  kind: "huggingFace" | "arxiv" | "pdf" | "code" | "project";
  /** Says where the link goes, e.g. "Code on GitHub (1.2k stars)". */
  label: string;
  href: string;
}

export interface PaperCard {
  rank: number;
  id: string;
  title: string;
  /** The paper's Hugging Face page, where the title links. */
  href: string;
  /** Authors and counts, e.g. "A, B, C et al. · 120 upvotes · 4 comments". */
  byline: string;
  summary: string;
  links: PaperLink[];
}

export interface DigestView {
  /** The day or week, e.g. "Thursday, 26 November 2026" or "Week 48 · 23–29 November 2026". */
  heading: string;
  intro: string;
  /** In an email: the line that says which topics the papers were chosen by, and where to change them. */
  topicsLine?: { label: string; topics: string; change: string; href: string };
  /** The digest's web page. */
  webLink: { label: string; href: string };
  /** Shown above the papers when bundled sample papers stood in for Hugging Face (development). */
  sampleNotice?: string;
  papers: PaperCard[];
  /** Why the reader receives it, for the footer. */
  reason: string;
  /** The inbox preview text. */
  preview: string;
}
