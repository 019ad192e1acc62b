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
  actionUrl: "https://paperboy.invalid/placeholder/action",
  address: "placeholder-address@paperboy.invalid",
} as const;

type PlaceholderValues = Partial<Record<keyof typeof PLACEHOLDERS, string>>;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

/** Fills the placeholders in: as HTML-escaped text in the HTML part (an address may hold `&` or `'`), as it is in the text part. */
export function personalize(email: RenderedEmail, values: PlaceholderValues): RenderedEmail {
  let { html, text } = email;
  for (const [name, value] of Object.entries(values) as [keyof typeof PLACEHOLDERS, string][]) {
    const placeholder = PLACEHOLDERS[name];
    const escaped = /[&<>"']/.test(value) ? value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!) : value;
    html = html.split(placeholder).join(escaped);
    text = text.split(placeholder).join(value);
  }
  return { subject: email.subject, html, text };
}
