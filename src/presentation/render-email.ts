import { render, toPlainText } from "@react-email/render";
import type { ReactElement } from "react";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders a React Email template once, to HTML and to a plain-text part derived from it.
 * Per-recipient values are passed in as placeholders and filled in by `personalize`,
 * so a digest is rendered once however many people receive it.
 */
export async function renderEmail(subject: string, element: ReactElement): Promise<RenderedEmail> {
  const html = await render(element);
  const text = toPlainText(html, { wordwrap: 78 });
  return { subject, html, text };
}

const memo = new Map<string, Promise<RenderedEmail>>();

/**
 * `renderEmail`, once per isolate for each `key`: a template whose only per-recipient parts are
 * placeholders renders the same every time, so a sign-up fills in a rendering instead of making one.
 * The key must name everything the rendering depends on besides the placeholders.
 */
export function renderEmailOnce(key: string, subject: string, element: () => ReactElement): Promise<RenderedEmail> {
  let rendered = memo.get(key);
  if (!rendered) {
    rendered = renderEmail(subject, element());
    memo.set(key, rendered);
    rendered.catch(() => memo.delete(key));
  }
  return rendered;
}

/** Stand-ins for per-recipient values; the URLs are valid URLs and the address a valid address, so templates can treat them as such. */
export const PLACEHOLDERS = {
  unsubscribeUrl: "https://paperboy.invalid/placeholder/unsubscribe",
  preferencesUrl: "https://paperboy.invalid/placeholder/preferences",
  /** The reader's topics as words, e.g. "Agents, “mamba”"; text, not a URL. */
  topics: "paperboy-placeholder-topics",
  actionUrl: "https://paperboy.invalid/placeholder/action",
  address: "placeholder-address@paperboy.invalid",
} as const;

type PlaceholderName = keyof typeof PLACEHOLDERS;
type PlaceholderValues = Partial<Record<PlaceholderName, string>>;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
const escapeHtml = (value: string) => (/[&<>"']/.test(value) ? value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!) : value);

const NAME_OF = new Map<string, PlaceholderName>(Object.entries(PLACEHOLDERS).map(([name, placeholder]) => [placeholder, name as PlaceholderName]));
const ANY_PLACEHOLDER = new RegExp(`(${[...NAME_OF.keys()].map((placeholder) => placeholder.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})`);

/** A part split at its placeholders once: literal text at even indexes, placeholder names at odd ones. */
type Pieces = (string | PlaceholderName)[];
const split = (part: string): Pieces => part.split(ANY_PLACEHOLDER).map((piece, index) => (index % 2 === 1 ? NAME_OF.get(piece)! : piece));

// A digest is personalised for every recipient from one rendering: it is split once, not per recipient.
const piecesOf = new WeakMap<RenderedEmail, { html: Pieces; text: Pieces }>();

function fill(pieces: Pieces, values: PlaceholderValues): string {
  let out = pieces[0] as string;
  for (let index = 1; index < pieces.length; index += 2) {
    const name = pieces[index] as PlaceholderName;
    const value = values[name];
    out += (value ?? PLACEHOLDERS[name]) + (pieces[index + 1] as string);
  }
  return out;
}

/** Fills the placeholders in: as HTML-escaped text in the HTML part (an address may hold `&` or `'`), as it is in the text part. */
export function personalize(email: RenderedEmail, values: PlaceholderValues): RenderedEmail {
  let pieces = piecesOf.get(email);
  if (!pieces) {
    pieces = { html: split(email.html), text: split(email.text) };
    piecesOf.set(email, pieces);
  }
  const escaped = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, escapeHtml(value)])) as PlaceholderValues;
  return {
    subject: email.subject,
    html: fill(pieces.html, escaped),
    text: fill(pieces.text, values),
  };
}
