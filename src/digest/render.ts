import { render } from "@react-email/render";
import { createElement } from "react";
import { DailyDigest } from "../../emails/daily-digest";
import type { Paper } from "../papers/paper";
import { digestText } from "../presentation/digest-text";
import { digestSubject, digestView } from "../presentation/digest-view";
import { PLACEHOLDERS, type RenderedEmail } from "../presentation/render-email";

export interface RenderDigestInput {
  /** The digest's UTC day, "YYYY-MM-DD". */
  date: string;
  /** In rank order; at least one. */
  papers: Paper[];
  /** The two settings the email needs (a `Config` fits); plain strings so Node-side tests can render it too. */
  config: { publicBaseUrl: string; senderPostalAddress: string };
  /** Bundled sample papers stood in for Hugging Face; the subject and the email say so. */
  sample?: boolean;
}

/**
 * Renders a day's digest once for every recipient. The unsubscribe link is
 * `PLACEHOLDERS.unsubscribeUrl`; fill it per recipient with `personalize`.
 *
 * @example
 * const rendered = await renderDigest({ date: "2026-11-26", papers, config });
 * const email = personalize(rendered, { unsubscribeUrl });
 */
export async function renderDigest({ date, papers, config, sample = false }: RenderDigestInput): Promise<RenderedEmail> {
  const top = papers[0];
  if (!top) throw new RangeError(`The digest for ${date} has no papers; there is nothing to send`);
  const view = digestView({ date, papers, siteUrl: config.publicBaseUrl, sample });
  const props = { ...view, unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl, postalAddress: config.senderPostalAddress };
  return {
    subject: digestSubject({ date, topTitle: top.title, sample }),
    html: await render(createElement(DailyDigest, props)),
    text: digestText(props),
  };
}
