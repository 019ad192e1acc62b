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

/** Stand-ins for per-recipient URLs; they are valid URLs so templates can treat them as such. */
export const PLACEHOLDERS = {
  unsubscribeUrl: "https://paperboy.invalid/placeholder/unsubscribe",
  actionUrl: "https://paperboy.invalid/placeholder/action",
} as const;

export type PlaceholderValues = Partial<Record<keyof typeof PLACEHOLDERS, string>>;

export function personalize(email: RenderedEmail, values: PlaceholderValues): RenderedEmail {
  let { html, text } = email;
  for (const [name, value] of Object.entries(values) as [keyof typeof PLACEHOLDERS, string][]) {
    const placeholder = PLACEHOLDERS[name];
    // The values are URLs we built: no characters that need escaping in HTML attributes.
    html = html.split(placeholder).join(value);
    text = text.split(placeholder).join(value);
  }
  return { subject: email.subject, html, text };
}
