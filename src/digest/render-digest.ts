import { render } from "@react-email/render";
import { createElement } from "react";
import { DailyDigest, type DailyDigestProps } from "../../emails/daily-digest";
import { shortDate } from "../../emails/_components/digest-date";
import { truncateAtWord } from "../../emails/_components/one-line-summary";
import { PLACEHOLDERS, type RenderedEmail } from "../email/render";
import type { Paper } from "../papers/paper";
import { digestText } from "./digest-text";

export interface RenderDigestInput {
  /** The digest's UTC day, "YYYY-MM-DD". */
  date: string;
  /** In rank order; at least one. */
  papers: Paper[];
  /** The two settings the email needs (a `Config` fits); plain strings so Node-side tests can render it too. */
  config: { publicBaseUrl: string; senderPostalAddress: string };
  /** Set when bundled sample papers stood in for Hugging Face; the subject then says so. */
  sampleNotice?: string;
}

/** Room for the top paper's title in the subject, which inboxes cut at roughly 60-80 characters. */
const SUBJECT_TITLE_MAX = 60;
const SAMPLE_PREFIX = "[sample data] ";

/**
 * Renders a day's digest once for every recipient. The unsubscribe link is
 * `PLACEHOLDERS.unsubscribeUrl`; fill it per recipient with `personalize`.
 *
 * @example
 * const rendered = await renderDigest({ date: "2026-11-26", papers, config });
 * const email = personalize(rendered, { unsubscribeUrl });
 */
export async function renderDigest({ date, papers, config, sampleNotice }: RenderDigestInput): Promise<RenderedEmail> {
  const top = papers[0];
  if (!top) throw new RangeError(`The digest for ${date} has no papers; there is nothing to send`);
  const props: DailyDigestProps = {
    date,
    papers,
    webUrl: `${config.publicBaseUrl}/digest/${date}`,
    siteUrl: config.publicBaseUrl,
    unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
    postalAddress: config.senderPostalAddress,
    sampleNotice,
  };
  const subject = `${sampleNotice ? SAMPLE_PREFIX : ""}paperboy · ${shortDate(date)}: ${truncateAtWord(top.title.replace(/\s+/g, " ").trim(), SUBJECT_TITLE_MAX)}`;
  return { subject, html: await render(createElement(DailyDigest, props)), text: digestText(props) };
}

