import { render } from "@react-email/render";
import { createElement } from "react";
import { DailyDigest } from "../../emails/daily-digest";
import type { Paper } from "../papers/paper";
import { digestText } from "../presentation/digest-text";
import { digestSubject, digestView } from "../presentation/digest-view";
import { PLACEHOLDERS, type RenderedEmail } from "../presentation/render-email";

export interface RenderDigestInput {
  /** The edition: a UTC day "YYYY-MM-DD" or an ISO week "YYYY-Www". */
  edition: string;
  /** In rank order; at least one. */
  papers: Paper[];
  /** The two settings the email needs (a `Config` fits); plain strings so Node-side tests can render it too. */
  config: { publicBaseUrl: string; senderPostalAddress: string };
  /** Bundled sample papers stood in for Hugging Face; the subject and the email say so. */
  sample?: boolean;
}

/**
 * Renders one paper list of an edition once for every reader it goes to. The per-reader parts are
 * placeholders (`PLACEHOLDERS`: unsubscribe and preferences links, the reader's topics); fill
 * them in per recipient with `personalize`.
 *
 * @example
 * const rendered = await renderDigest({ edition: "2026-11-26", papers, config });
 * const email = personalize(rendered, { unsubscribeUrl, preferencesUrl, topics: "Agents" });
 */
export async function renderDigest({ edition, papers, config, sample = false }: RenderDigestInput): Promise<RenderedEmail> {
  const top = papers[0];
  if (!top) throw new RangeError(`The edition ${edition} has no papers; there is nothing to send`);
  const reader = { topics: PLACEHOLDERS.topics, preferencesUrl: PLACEHOLDERS.preferencesUrl };
  const view = digestView({ edition, papers, siteUrl: config.publicBaseUrl, sample, reader });
  const props = { ...view, unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl, preferencesUrl: PLACEHOLDERS.preferencesUrl, postalAddress: config.senderPostalAddress };
  return {
    subject: digestSubject({ edition, topTitle: top.title, sample }),
    html: await render(createElement(DailyDigest, props)),
    text: digestText(props),
  };
}
