import { Fragment } from "react";
import { type Paper, paperLinks } from "../src/papers/paper";
import { samplePapers } from "../src/papers/sample-papers";
import { longDate } from "./_components/digest-date";
import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { TextLink } from "./_components/links";
import { oneLineSummary } from "./_components/one-line-summary";
import { authorLine, paperLinkList, statsLine } from "./_components/paper-facts";
import { layoutTable, theme } from "./_components/theme";

export interface DailyDigestProps {
  /** The digest's UTC day, "YYYY-MM-DD". */
  date: string;
  /** In rank order; the first one is the preheader. */
  papers: Paper[];
  /** The digest's web page. */
  webUrl: string;
  siteUrl: string;
  unsubscribeUrl: string;
  postalAddress: string;
  /** Shown above the papers when bundled sample papers stood in for Hugging Face (development). */
  sampleNotice?: string;
}

/** Words shared by the HTML, the plain-text part and the web page. */
export const digestCopy = {
  viewInBrowser: "View in browser",
  intro: (count: number) =>
    `${count === 1 ? "The trending AI paper" : `${count} trending AI papers`} from Hugging Face Daily Papers.`,
  reason: (siteUrl: string) => `You receive this because you subscribed to paperboy at ${siteHost(siteUrl)}.`,
};

export function DailyDigest({ date, papers, webUrl, siteUrl, unsubscribeUrl, postalAddress, sampleNotice }: DailyDigestProps) {
  return (
    <EmailLayout
      preview={papers[0]?.title ?? digestCopy.intro(0)}
      footer={<Footer reason={digestCopy.reason(siteUrl)} postalAddress={postalAddress} unsubscribeUrl={unsubscribeUrl} />}
    >
      <h1 style={{ color: theme.text, fontFamily: theme.fontFamily, fontSize: "22px", lineHeight: "28px", margin: "16px 0 4px" }}>
        {longDate(date)}
      </h1>
      <p style={{ ...small, margin: "0 0 8px" }}>
        {digestCopy.intro(papers.length)} <TextLink href={webUrl}>{digestCopy.viewInBrowser}</TextLink>
      </p>
      {sampleNotice && (
        <p style={{ ...small, border: `1px solid ${theme.border}`, color: theme.text, margin: "8px 0", padding: "8px 12px" }}>
          {sampleNotice}
        </p>
      )}
      <table {...layoutTable}>
        <tbody>
          {papers.map((paper, index) => (
            <PaperRow key={paper.id} paper={paper} rank={index + 1} />
          ))}
        </tbody>
      </table>
    </EmailLayout>
  );
}

/** One paper: a rank cell and a cell with the linked title, byline, summary and labelled links. */
function PaperRow({ paper, rank }: { paper: Paper; rank: number }) {
  const authors = authorLine(paper.authors);
  return (
    <tr>
      <td style={rankCell}>{rank}.</td>
      <td style={paperCell}>
        <h2 style={title}>
          <a href={paperLinks(paper).huggingFace} style={{ color: theme.text, textDecoration: "none" }}>
            {paper.title}
          </a>
        </h2>
        <p style={{ ...small, margin: "2px 0 0" }}>
          {authors && `${authors} · `}
          {statsLine(paper)}
        </p>
        <p style={summary}>{oneLineSummary(paper)}</p>
        <p style={{ ...small, margin: 0 }}>
          {paperLinkList(paper).map((item, i) => (
            <Fragment key={item.kind}>
              {i > 0 && " · "}
              <TextLink href={item.href}>{item.label}</TextLink>
            </Fragment>
          ))}
        </p>
      </td>
    </tr>
  );
}

const small = { color: theme.muted, fontSize: "13px", lineHeight: "20px" } as const;
const rankCell = {
  borderTop: `1px solid ${theme.border}`,
  color: theme.muted,
  fontSize: "16px",
  fontWeight: 600,
  lineHeight: "24px",
  padding: "16px 0",
  verticalAlign: "top",
  width: "28px",
} as const;
const paperCell = { borderTop: `1px solid ${theme.border}`, padding: "16px 0", verticalAlign: "top" } as const;
const title = { fontFamily: theme.fontFamily, fontSize: "17px", lineHeight: "24px", margin: 0 } as const;
const summary = { color: theme.text, fontSize: "15px", lineHeight: "22px", margin: "6px 0" } as const;

function siteHost(siteUrl: string): string {
  try {
    return new URL(siteUrl).host;
  } catch {
    return siteUrl;
  }
}

const PREVIEW_DATE = "2024-03-17";

DailyDigest.PreviewProps = {
  date: PREVIEW_DATE,
  papers: samplePapers().slice(0, 10),
  webUrl: `http://localhost:8787/digest/${PREVIEW_DATE}`,
  siteUrl: "http://localhost:8787",
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies DailyDigestProps;

export default DailyDigest;
