/**
 * A digest as people read it: the words and the formatted facts of every paper, computed once
 * and shared by the HTML email, its plain-text part, the web page and the feed, so the four
 * never disagree.
 */
import { truncateAtWord } from "../lib/text";
import { isIsoWeek } from "../lib/calendar";
import { editionHeading, editionShortName } from "./dates";
import type { DigestView, PaperCard } from "../../emails/_components/digest-props";
import { bylineOf, huggingFaceUrl, type PaperFacts, paperLinkList } from "./paper-facts";
import { oneLineSummary } from "./summary";
import { texToText } from "./tex";

export type { DigestView, PaperCard };



/** Words shared by the HTML, the plain-text part, the web page and the feed. */
export const digestCopy = {
  viewInBrowser: "View in browser",
  intro: (count: number, weekly = false) =>
    weekly
      ? `${count === 1 ? "The week's most upvoted AI paper" : `The week's ${count} most upvoted AI papers`} on Hugging Face Daily Papers.`
      : `${count === 1 ? "The trending AI paper" : `${count} trending AI papers`} from Hugging Face Daily Papers.`,
  topicsLabel: "Your topics:",
  changeChoices: "Change topics, size or time",
  /** How a reader's topics read in the topics line; empty means every topic. */
  topicsText: (labels: readonly string[]) => (labels.length === 0 ? "all of them" : labels.join(", ")),
  reason: (siteUrl: string) => `You receive this because you subscribed to paperboy at ${siteHost(siteUrl)}.`,
  sampleNotice: "Hugging Face could not be reached, so this local digest shows paperboy's bundled sample papers.",
};

export interface DigestViewInput {
  /** The edition: a UTC day "YYYY-MM-DD" or an ISO week "YYYY-Www". */
  edition: string;
  /** In rank order. */
  papers: readonly PaperFacts[];
  /** The site's origin, e.g. "https://paperboy.example". */
  siteUrl: string;
  /** Bundled sample papers stood in for Hugging Face. */
  sample?: boolean;
  /** In an email: the reader's topics and preferences link (placeholders, filled in per reader). */
  reader?: { topics: string; preferencesUrl: string };
}

export function digestView({ edition, papers, siteUrl, sample = false, reader }: DigestViewInput): DigestView {
  const cards = paperCards(papers);
  return {
    heading: editionHeading(edition),
    intro: digestCopy.intro(cards.length, isIsoWeek(edition)),
    ...(reader ? { topicsLine: { label: digestCopy.topicsLabel, topics: reader.topics, change: digestCopy.changeChoices, href: reader.preferencesUrl } } : {}),
    webLink: { label: digestCopy.viewInBrowser, href: `${siteUrl}/digest/${edition}` },
    ...(sample ? { sampleNotice: digestCopy.sampleNotice } : {}),
    papers: cards,
    reason: digestCopy.reason(siteUrl),
    preview: cards[0]?.title ?? digestCopy.intro(0),
  };
}

export function paperCards(papers: readonly PaperFacts[]): PaperCard[] {
  return papers.map((paper, index) => ({
    rank: index + 1,
    id: paper.id,
    title: texToText(paper.title),
    href: huggingFaceUrl(paper),
    byline: bylineOf(paper),
    // From the TeX as written, so no cut falls inside a formula; measured as the reader sees it.
    summary: oneLineSummary(paper),
    links: paperLinkList(paper),
  }));
}

/** Room for the top paper's title in the subject, which inboxes cut at roughly 60-80 characters. */
const SUBJECT_TITLE_MAX = 60;

/**
 * @example digestSubject({ edition: "2026-11-26", topTitle: "Attention…" }) // "paperboy · 26 Nov 2026: Attention…"
 * @example digestSubject({ edition: "2026-W48", topTitle: "Attention…" }) // "paperboy weekly · Week 48, 2026: Attention…"
 */
export function digestSubject({ edition, topTitle, sample = false }: { edition: string; topTitle: string; sample?: boolean }): string {
  const title = truncateAtWord(texToText(topTitle).replace(/\s+/g, " ").trim(), SUBJECT_TITLE_MAX);
  return `${sample ? "[sample data] " : ""}paperboy${isIsoWeek(edition) ? " weekly" : ""} · ${editionShortName(edition)}: ${title}`;
}

function siteHost(siteUrl: string): string {
  try {
    return new URL(siteUrl).host;
  } catch {
    return siteUrl;
  }
}
