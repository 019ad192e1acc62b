import type { PublishedDigest } from "../digest/archive";
import { digestCopy, paperCards } from "../presentation/digest-view";
import { texToText } from "../presentation/tex";
import type { Cadence } from "../subscribers/preferences";

export interface AtomFeedInput {
  /** Absolute origin without a trailing slash, e.g. "https://paperboy.example". */
  baseUrl: string;
  /** The feed's own path, e.g. "/feed.xml". */
  path: string;
  cadence: Cadence;
  /** Newest first, all of `cadence`. */
  digests: PublishedDigest[];
}

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

/**
 * The digests as an Atom 1.0 feed (RFC 4287). Each entry's content is a short HTML list of its
 * papers, carried as escaped text (`type="html"`), so titles with `<`, `&` or TeX stay text.
 *
 * @example atomFeed({ baseUrl: "https://paperboy.example", path: "/feed.xml", cadence: "daily", digests })
 */
export function atomFeed({ baseUrl, path, cadence, digests }: AtomFeedInput): string {
  const self = `${baseUrl}${path}`;
  const weekly = cadence === "weekly";
  // An empty feed still needs an <updated>; the epoch says "nothing yet" without reading a clock.
  const updated = iso(Math.max(0, ...digests.map((digest) => digest.updatedAt)));
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`,
    `  <id>${xml(self)}</id>`,
    `  <title>${weekly ? "paperboy weekly" : "paperboy"}</title>`,
    `  <subtitle>${weekly ? "The week's most upvoted AI research papers" : "The day's trending AI research papers"} from Hugging Face Daily Papers.</subtitle>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>paperboy</name><uri>${xml(`${baseUrl}/`)}</uri></author>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${baseUrl}/archive`)}"/>`,
  ];
  for (const digest of digests) {
    const page = `${baseUrl}/digest/${digest.edition}`;
    lines.push(
      `  <entry>`,
      `    <id>${xml(page)}</id>`,
      // Subjects stored before TeX was made readable are shown readable too (texToText is idempotent).
    `    <title>${xml(texToText(digest.subject))}</title>`,
      `    <updated>${iso(digest.updatedAt)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xml(page)}"/>`,
      `    <content type="html">${xml(entryHtml(digest, page))}</content>`,
      `  </entry>`,
    );
  }
  lines.push(`</feed>`);
  return `${lines.join("\n")}\n`;
}

/** The HTML an entry carries: the intro, then each paper's linked title and one-line summary. */
function entryHtml(digest: PublishedDigest, page: string): string {
  const items = paperCards(digest.papers).map(
    (paper) => `<li><a href="${html(paper.href)}">${html(paper.title)}</a>: ${html(paper.summary)}</li>`,
  );
  return `<p>${html(digestCopy.intro(digest.papers.length, digest.cadence === "weekly"))} <a href="${html(page)}">Read it on paperboy</a></p><ol>${items.join("")}</ol>`;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Text as XML character data or an attribute value. Characters XML 1.0 forbids even as
 * references (C0 controls other than tab and newlines, lone surrogates, U+FFFE/U+FFFF) are dropped.
 */
function xml(text: string): string {
  return html(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ""));
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
