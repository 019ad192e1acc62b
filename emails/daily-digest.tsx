import { Fragment } from "react";
import type { DigestView, PaperCard } from "./_components/digest-props";
import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { TextLink } from "./_components/links";
import { previewDigest } from "./_components/preview-digest";
import { layoutTable, theme } from "./_components/theme";

export interface DailyDigestProps extends DigestView {
  unsubscribeUrl: string;
  preferencesUrl: string;
  postalAddress: string;
}

export function DailyDigest(props: DailyDigestProps) {
  const { heading, intro, topicsLine, webLink, sampleNotice, papers, reason, preview, unsubscribeUrl, preferencesUrl, postalAddress } = props;
  const footer = <Footer reason={reason} postalAddress={postalAddress} unsubscribeUrl={unsubscribeUrl} preferencesUrl={preferencesUrl} />;
  return (
    <EmailLayout preview={preview} footer={footer}>
      <h1 style={{ color: theme.text, fontFamily: theme.fontFamily, fontSize: "22px", lineHeight: "28px", margin: "16px 0 4px" }}>
        {heading}
      </h1>
      <p style={{ ...small, margin: "0 0 8px" }}>
        {intro} <TextLink href={webLink.href}>{webLink.label}</TextLink>
      </p>
      {topicsLine && (
        <p style={{ ...small, margin: "0 0 8px" }}>
          {topicsLine.label} {topicsLine.topics} · <TextLink href={topicsLine.href}>{topicsLine.change}</TextLink>
        </p>
      )}
      {sampleNotice && (
        <p style={{ ...small, border: `1px solid ${theme.border}`, color: theme.text, margin: "8px 0", padding: "8px 12px" }}>
          {sampleNotice}
        </p>
      )}
      <table {...layoutTable}>
        <tbody>
          {papers.map((paper) => (
            <PaperRow key={paper.id} paper={paper} />
          ))}
        </tbody>
      </table>
    </EmailLayout>
  );
}

/** One paper: a rank cell and a cell with the linked title, byline, summary and labelled links. */
function PaperRow({ paper }: { paper: PaperCard }) {
  return (
    <tr>
      <td style={rankCell}>{paper.rank}.</td>
      <td style={paperCell}>
        <h2 style={title}>
          <a href={paper.href} style={{ color: theme.text, textDecoration: "none" }}>
            {paper.title}
          </a>
        </h2>
        <p style={{ ...small, margin: "2px 0 0" }}>{paper.byline}</p>
        <p style={summary}>{paper.summary}</p>
        <p style={{ ...small, margin: 0 }}>
          {paper.links.map((link, i) => (
            <Fragment key={link.kind}>
              {i > 0 && " · "}
              <TextLink href={link.href}>{link.label}</TextLink>
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

DailyDigest.PreviewProps = {
  ...previewDigest,
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
  preferencesUrl: "http://localhost:8787/preferences?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies DailyDigestProps;

export default DailyDigest;
