import { Column, Heading, Link, Row, Section, Text } from "@react-email/components";
import { Fragment } from "react";
import { type Paper, paperLinks } from "../src/papers/paper";
import { longDate } from "./_components/digest-date";
import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { oneLineSummary } from "./_components/one-line-summary";
import { authorLine, paperLinkList, statsLine } from "./_components/paper-facts";
import { theme } from "./_components/theme";

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

/** Words shared by the HTML and the plain-text part. */
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
      <Heading as="h1" style={{ color: theme.text, fontSize: "22px", lineHeight: "28px", margin: "16px 0 4px" }}>
        {longDate(date)}
      </Heading>
      <Text style={{ ...small, margin: "0 0 8px" }}>
        {digestCopy.intro(papers.length)}{" "}
        <Link href={webUrl} style={link}>
          {digestCopy.viewInBrowser}
        </Link>
      </Text>
      {sampleNotice && (
        <Text style={{ ...small, border: `1px solid ${theme.border}`, borderRadius: "6px", color: theme.text, padding: "8px 12px" }}>
          {sampleNotice}
        </Text>
      )}
      {papers.map((paper, index) => (
        <PaperEntry key={paper.id} paper={paper} rank={index + 1} />
      ))}
    </EmailLayout>
  );
}

function PaperEntry({ paper, rank }: { paper: Paper; rank: number }) {
  const more = paperLinkList(paper).filter((item) => item.kind !== "huggingFace");
  const authors = authorLine(paper.authors);
  return (
    <Section style={{ borderTop: `1px solid ${theme.border}`, marginTop: "16px" }}>
      <Row>
        <Column style={{ color: theme.muted, fontSize: "16px", fontWeight: 600, paddingTop: "16px", verticalAlign: "top", width: "32px" }}>
          {rank}.
        </Column>
        <Column style={{ paddingTop: "16px", verticalAlign: "top" }}>
          <Heading as="h2" style={{ fontSize: "17px", lineHeight: "24px", margin: 0 }}>
            <Link href={paperLinks(paper).huggingFace} style={{ color: theme.text, textDecoration: "none" }}>
              {paper.title}
            </Link>
          </Heading>
          <Text style={{ ...small, margin: "2px 0 0" }}>
            {authors && `${authors} · `}
            {statsLine(paper)}
          </Text>
          <Text style={{ color: theme.text, fontSize: "15px", lineHeight: "22px", margin: "6px 0" }}>{oneLineSummary(paper)}</Text>
          <Text style={{ ...small, margin: 0 }}>
            {more.map((item, i) => (
              <Fragment key={item.kind}>
                {i > 0 && " · "}
                <Link href={item.href} style={link}>
                  {item.label}
                </Link>
              </Fragment>
            ))}
          </Text>
        </Column>
      </Row>
    </Section>
  );
}

const small = { color: theme.muted, fontSize: "13px", lineHeight: "20px" } as const;
const link = { color: theme.accent, textDecoration: "underline" } as const;

function siteHost(siteUrl: string): string {
  try {
    return new URL(siteUrl).host;
  } catch {
    return siteUrl;
  }
}

const previewPaper = {
  aiKeywords: [],
  publishedAt: "2026-11-25T00:00:00.000Z",
  submittedOnDailyAt: "2026-11-26T06:00:00.000Z",
  thumbnail: null,
} satisfies Partial<Paper>;

DailyDigest.PreviewProps = {
  date: "2026-11-26",
  webUrl: "http://localhost:8787/digest/2026-11-26",
  siteUrl: "http://localhost:8787",
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
  sampleNotice: "Sample papers: Hugging Face was not reachable, so this preview uses paperboy's bundled examples.",
  papers: [
    {
      ...previewPaper,
      id: "2611.01234",
      title: "Scaling Test-Time Compute with Sparse $\\mathcal{O}(n \\log n)$ Attention",
      summary:
        "Long-context reasoning is limited by quadratic attention. We propose a sparse attention scheme with O(n log n) cost, e.g. for 1M-token inputs. On six benchmarks it matches dense attention at 3.5x lower latency. Code and models are released.",
      aiSummary: "A sparse attention scheme matches dense attention on long-context reasoning at 3.5x lower latency.",
      authors: ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"],
      upvotes: 214,
      numComments: 12,
      githubRepo: "https://github.com/example/sparse-attention",
      githubStars: 1840,
      projectPage: "https://example.github.io/sparse-attention",
    },
    {
      ...previewPaper,
      id: "2611.04321",
      title: "Agents That Read the Manual: Tool Documentation as Supervision",
      summary:
        "Tool-using agents rarely read documentation. We show that training on tool manuals, rather than on demonstrations alone, improves success on unseen tools by 18 points.",
      aiSummary: null,
      authors: ["Barbara Liskov", "Donald Knuth"],
      upvotes: 97,
      numComments: 0,
      githubRepo: null,
      githubStars: null,
      projectPage: null,
    },
  ],
} satisfies DailyDigestProps;

export default DailyDigest;
