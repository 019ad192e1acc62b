import { describe, expect, it } from "vitest";
import { renderDigest } from "../../src/digest/render";
import type { Paper } from "../../src/papers/paper";

/**
 * A fixed digest (a daily edition, and its papers as a weekly one) rendered to HTML and text and compared with the files under __snapshots__/.
 * A change to the templates shows up here as a reviewable diff; update with `vitest -u`.
 */
const config = { publicBaseUrl: "https://paperboy.test", senderPostalAddress: "paperboy, 1 Test Street, 12345 Testville" };

const base = {
  aiKeywords: [],
  publishedAt: "2026-11-25T00:00:00.000Z",
  submittedOnDailyAt: "2026-11-26T06:00:00.000Z",
  thumbnail: null,
} satisfies Partial<Paper>;

const papers: Paper[] = [
  {
    ...base,
    id: "2611.01234",
    title: "Sparse Attention at Scale",
    summary: "We make attention sparse. It is fast.",
    aiSummary: "Sparse attention matches dense attention at a fraction of the cost.",
    authors: ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"],
    upvotes: 214,
    numComments: 12,
    githubRepo: "https://github.com/example/sparse",
    githubStars: 1840,
    projectPage: "https://example.github.io/sparse/",
  },
  {
    ...base,
    id: "2611.04321",
    title: `<script>alert(1)</script> & "quotes" in $\\mathcal{O}(n^2)$ time`,
    summary: "Tool-using agents rarely read documentation. We show that training on tool manuals improves success on unseen tools by 18 points, e.g. on APIs they never saw. Code is released.",
    aiSummary: null,
    authors: ["Barbara Liskov"],
    upvotes: 97,
    numComments: 0,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
  },
  {
    ...base,
    id: "2611.00007",
    title: "A Paper Without Authors",
    summary: "Short.",
    aiSummary: null,
    authors: [],
    upvotes: 1,
    numComments: 1,
    githubRepo: "https://gitlab.com/example/code",
    githubStars: 1,
    projectPage: null,
  },
];

describe("the DailyDigest for a fixed day", () => {
  it("renders the HTML part recorded in daily-digest.html", async () => {
    const { html } = await renderDigest({ edition: "2026-11-26", papers, config });
    // One element per line, so a change reads as a small diff.
    await expect(html.replace(/></g, ">\n<")).toMatchFileSnapshot("__snapshots__/daily-digest.html");
  });

  it("renders the plain-text part recorded in daily-digest.txt", async () => {
    const { text, subject } = await renderDigest({ edition: "2026-11-26", papers, config });
    await expect(`Subject: ${subject}\n\n${text}`).toMatchFileSnapshot("__snapshots__/daily-digest.txt");
  });
});

describe("the weekly edition of the same papers", () => {
  it("renders the plain-text part recorded in weekly-digest.txt: the week in the subject and heading, the week's wording", async () => {
    const { text, subject } = await renderDigest({ edition: "2026-W48", papers, config });
    await expect(`Subject: ${subject}\n\n${text}`).toMatchFileSnapshot("__snapshots__/weekly-digest.txt");
  });
});
