import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { digestCopy } from "../../src/presentation/digest-view";
import { readConfig } from "../../src/config";
import { renderDigest } from "../../src/digest/render";
import { PLACEHOLDERS, personalize } from "../../src/presentation/render-email";
import type { Paper } from "../../src/papers/paper";
import { longPapers } from "../fixtures/long-papers";

const configResult = readConfig(env);
if (!configResult.ok) throw new Error(`Test config is invalid: ${configResult.problems.join("; ")}`);
const config = configResult.config;

const DATE = "2026-11-26";
const GMAIL_CLIP_BYTES = 102 * 1024;

function paper(overrides: Partial<Paper> = {}): Paper {
  return {
    id: "2611.01234",
    title: "Sparse Attention at Scale",
    summary: "We make attention sparse. It is fast.",
    aiSummary: "Sparse attention matches dense attention at a fraction of the cost.",
    aiKeywords: [],
    authors: ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"],
    upvotes: 214,
    numComments: 12,
    publishedAt: "2026-11-25T00:00:00.000Z",
    submittedOnDailyAt: "2026-11-26T06:00:00.000Z",
    githubRepo: "https://github.com/example/sparse",
    githubStars: 1840,
    projectPage: "https://example.github.io/sparse/",
    thumbnail: null,
    ...overrides,
  };
}

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? "").replaceAll("&amp;", "&"));
const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("renderDigest", () => {
  it("writes the day and the top paper into the subject, cutting a long title between words", async () => {
    const short = await renderDigest({ edition: DATE, papers: [paper(), paper({ id: "2611.00002", title: "Second" })], config });
    expect(short.subject).toBe("paperboy · 26 Nov 2026: Sparse Attention at Scale");

    const title = "Scaling Laws for Mixture-of-Experts Language Models Trained on Multilingual Code and Natural Language";
    const long = await renderDigest({ edition: DATE, papers: [paper({ title })], config });
    expect(long.subject).toBe("paperboy · 26 Nov 2026: Scaling Laws for Mixture-of-Experts Language Models Trained…");
  });

  it("says in the subject and the body when bundled sample papers were used", async () => {
    const sampleNotice = digestCopy.sampleNotice;
    const rendered = await renderDigest({ edition: DATE, papers: [paper()], config, sample: true });
    expect(rendered.subject).toMatch(/^\[sample data\] paperboy · 26 Nov 2026: /);
    expect(rendered.html).toContain(sampleNotice.replaceAll("'", "&#x27;"));
    expect(rendered.text.replace(/\s+/g, " ")).toContain(sampleNotice);

    const real = await renderDigest({ edition: DATE, papers: [paper()], config });
    expect(real.subject).not.toMatch(/sample/i);
    expect(real.text.replace(/\s+/g, " ")).not.toContain(sampleNotice);
  });

  it("escapes markup in titles and summaries in the HTML and keeps them intact in the text", async () => {
    const title = `<script>alert("x")</script> Fish & Chips: 'Quoted' "Scaling"`;
    const aiSummary = `A <b>bold</b> claim & a tight bound.`;
    const rendered = await renderDigest({ edition: DATE, papers: [paper({ title, aiSummary })], config });

    expect(rendered.html).not.toMatch(/<script|<b>/i);
    expect(rendered.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Fish &amp; Chips: &#x27;Quoted&#x27; &quot;Scaling&quot;");
    expect(rendered.html).toContain("A &lt;b&gt;bold&lt;/b&gt; claim &amp; a tight bound.");
    const unwrapped = rendered.text.replace(/\n +/g, " ");
    expect(unwrapped).toContain(`1. ${title}`);
    expect(unwrapped).toContain(aiSummary);
    expect(rendered.subject).toContain(`<script>alert("x")</script> Fish & Chips:`);
  });

  it("shows TeX in titles and summaries as readable text in the subject, the HTML and the text part, and leaves amounts alone", async () => {
    const title = "Attention in $\\mathcal{O}(n \\log n)$ for $\\ell_p$ Norms";
    const summary = "We bound the error by $\\epsilon \\leq 10^{-3}$ at 0.5\\% of the cost, about $5 per run. A second sentence is not shown.";
    const rendered = await renderDigest({ edition: DATE, papers: [paper({ title, aiSummary: null, summary })], config });

    const readableTitle = "Attention in 𝒪(n log n) for ℓₚ Norms";
    const readableSummary = "We bound the error by ε ≤ 10⁻³ at 0.5% of the cost, about $5 per run.";
    expect(rendered.subject).toBe(`paperboy · 26 Nov 2026: ${readableTitle}`);
    expect(rendered.html).toContain(readableTitle);
    expect(rendered.html).toContain(readableSummary);
    const unwrapped = rendered.text.replace(/\n +/g, " ");
    expect(unwrapped).toContain(`1. ${readableTitle}`);
    expect(unwrapped).toContain(readableSummary);
    expect(rendered.html + rendered.text).not.toMatch(/\\(mathcal|ell|log|epsilon|leq)/);
  });

  it("links only to the site, Hugging Face, arXiv and each paper's own http(s) pages, all absolute", async () => {
    const papers = [
      paper(),
      paper({ id: "2611.00002", githubRepo: "javascript:alert(1)", projectPage: "/relative/page", githubStars: 5 }),
      paper({ id: "2611.00003", githubRepo: null, projectPage: "http://lab.example.org/project?a=1&b=2" }),
    ];
    const rendered = personalize(await renderDigest({ edition: DATE, papers, config }), {
      unsubscribeUrl: `${config.publicBaseUrl}/unsubscribe?token=abc`,
      preferencesUrl: `${config.publicBaseUrl}/preferences?token=abc`,
      topics: "Agents",
    });
    const allowed = [
      `${config.publicBaseUrl}/`,
      "https://huggingface.co/",
      "https://arxiv.org/",
      "https://github.com/example/sparse",
      "https://example.github.io/sparse/",
      "http://lab.example.org/project?a=1&b=2",
    ];

    const links = hrefs(rendered.html);
    expect(links.length).toBeGreaterThan(10);
    for (const href of links) {
      expect(new URL(href).href).toBe(href); // absolute, no relative or scheme-less links
      expect(allowed.some((prefix) => href.startsWith(prefix)), href).toBe(true);
    }
    expect(links).toContain(`${config.publicBaseUrl}/digest/${DATE}`);
    expect(links).toContain("http://lab.example.org/project?a=1&b=2");
    expect(rendered.html + rendered.text).not.toMatch(/javascript:|relative\/page/);
  });

  it("renders the unsubscribe and preferences links and the reader's topics as placeholders that personalize replaces in HTML and text", async () => {
    const rendered = await renderDigest({ edition: DATE, papers: [paper()], config });
    expect(rendered.html).toContain(`href="${PLACEHOLDERS.unsubscribeUrl}"`);
    expect(rendered.text).toContain(`Unsubscribe in one click: ${PLACEHOLDERS.unsubscribeUrl}`);
    // React keeps adjacent text apart with empty comments, which mail clients do not show.
    const shown = (html: string) => html.replaceAll("<!-- -->", "");
    expect(shown(rendered.html)).toMatch(new RegExp(`Your topics: ${PLACEHOLDERS.topics} · <a href="${PLACEHOLDERS.preferencesUrl}"[^>]*>Change topics, size or time</a>`));
    expect(rendered.html).toMatch(new RegExp(`<a href="${PLACEHOLDERS.preferencesUrl}"[^>]*>Manage preferences</a>`));
    expect(rendered.text).toContain(`Your topics: ${PLACEHOLDERS.topics}.\nChange topics, size or time: ${PLACEHOLDERS.preferencesUrl}`);
    expect(rendered.text).toContain(`Manage preferences: ${PLACEHOLDERS.preferencesUrl}`);

    const url = `${config.publicBaseUrl}/unsubscribe?token=reader-1`;
    const preferences = `${config.publicBaseUrl}/preferences?token=reader-1`;
    const topics = `Agents, “mamba” & <co>`;
    const mine = personalize(rendered, { unsubscribeUrl: url, preferencesUrl: preferences, topics });
    for (const placeholder of [PLACEHOLDERS.unsubscribeUrl, PLACEHOLDERS.preferencesUrl, PLACEHOLDERS.topics]) expect(mine.html + mine.text).not.toContain(placeholder);
    expect(mine.html).toContain(`href="${url}"`);
    expect(mine.text).toContain(`Unsubscribe in one click: ${url}`);
    expect(mine.html).toContain(`href="${preferences}"`);
    expect(mine.text).toContain(`Manage preferences: ${preferences}`);
    expect(shown(mine.html)).toContain("Your topics: Agents, “mamba” &amp; &lt;co&gt; ·");
    expect(mine.text).toContain(`Your topics: ${topics}.`);
    expect(mine.subject).toBe(rendered.subject);
  });

  it("renders a weekly edition with its week in the subject, the heading and the browser link", async () => {
    const papers = [paper(), paper({ id: "2611.00002", title: "Second Paper" })];
    const rendered = await renderDigest({ edition: "2026-W48", papers, config });
    expect(rendered.subject).toBe("paperboy weekly · Week 48, 2026: Sparse Attention at Scale");
    expect(rendered.html).toContain("Week 48 · 23–29 November 2026");
    expect(rendered.html).toContain("The week&#x27;s 2 most upvoted AI papers on Hugging Face Daily Papers.");
    expect(rendered.html).toMatch(new RegExp(`<a href="${config.publicBaseUrl}/digest/2026-W48"[^>]*>View in browser</a>`));
    expect(rendered.text).toContain("paperboy · Week 48 · 23–29 November 2026\nThe week's 2 most upvoted AI papers on Hugging Face Daily Papers.");
    expect(rendered.text).toContain(`View in browser: ${config.publicBaseUrl}/digest/2026-W48`);
  });

  it("shows the written-out date, a browser link, rank, authors, counts and labelled links", async () => {
    const papers = [paper(), paper({ id: "2611.00002", title: "Second Paper", authors: ["Barbara Liskov"], numComments: 0, upvotes: 1, githubRepo: null, projectPage: null })];
    const { html } = await renderDigest({ edition: DATE, papers, config });

    expect(html).toContain('lang="en"');
    expect(html).toContain("Thursday, 26 November 2026");
    expect(html).toMatch(new RegExp(`<a href="${config.publicBaseUrl}/digest/${DATE}"[^>]*>View in browser</a>`));
    expect(html).toMatch(/data-skip-in-text="true">Sparse Attention at Scale</); // the preheader
    expect(html).toMatch(/<a href="https:\/\/huggingface.co\/papers\/2611.01234"[^>]*>Sparse Attention at Scale<\/a>/);
    expect(html).toContain("Ada Lovelace, Alan Turing, Grace Hopper et al. · 214 upvotes · 12 comments");
    expect(html).toContain("Barbara Liskov · 1 upvote<");
    expect(html).toMatch(/<a href="https:\/\/github.com\/example\/sparse"[^>]*>Code on GitHub \(1.8k stars\)<\/a>/);
    expect(html).toMatch(/<a href="https:\/\/arxiv.org\/pdf\/2611.01234"[^>]*>PDF<\/a>/);
    expect(html).toContain("You receive this because you subscribed to paperboy at paperboy.test.");
    expect(html).toContain(config.senderPostalAddress);
    expect(html.indexOf("Sparse Attention at Scale</a>")).toBeLessThan(html.indexOf("Second Paper</a>"));
    expect(html).not.toMatch(/<img|<link|@import|fonts\.googleapis/);
  });

  it("writes a plain-text part with numbered papers, summaries, links and the unsubscribe URL", async () => {
    const papers = [paper(), paper({ id: "2611.00002", title: "Second Paper", aiSummary: null, githubRepo: null, projectPage: null })];
    const { text } = await renderDigest({ edition: DATE, papers, config });

    expect(text).toContain(`paperboy · Thursday, 26 November 2026`);
    expect(text).toContain(`View in browser: ${config.publicBaseUrl}/digest/${DATE}`);
    expect(text).toContain(
      [
        "1. Sparse Attention at Scale",
        "   Ada Lovelace, Alan Turing, Grace Hopper et al. · 214 upvotes · 12 comments",
        "   Sparse attention matches dense attention at a fraction of the cost.",
        "   Hugging Face: https://huggingface.co/papers/2611.01234",
        "   arXiv: https://arxiv.org/abs/2611.01234",
        "   PDF: https://arxiv.org/pdf/2611.01234",
        "   Code on GitHub (1.8k stars): https://github.com/example/sparse",
        "   Project page: https://example.github.io/sparse/",
      ].join("\n"),
    );
    expect(text).toContain("2. Second Paper\n");
    expect(text).toContain("   We make attention sparse.\n"); // one sentence, not the whole abstract
    expect(text).not.toMatch(/<[a-z]|&amp;|&#x27;/i);
    expect(text).toContain(config.senderPostalAddress);
  });

  it("numbers ten papers and more so a plain mail client lines them up: ' 9. Title', '10. Title'", async () => {
    const papers = longPapers.slice(0, 12);
    const { text } = await renderDigest({ edition: DATE, papers, config });
    const titles = text.split("\n").filter((line) => /^ ?\d+\. /.test(line));
    expect(titles).toHaveLength(12);
    expect(titles[0]).toMatch(/^ 1\. \S/);
    expect(titles[8]).toMatch(/^ 9\. \S/);
    expect(titles[9]).toBe(`10. ${papers[9]!.title}`.slice(0, titles[9]!.length));
    expect(text).toContain(`\n    Hugging Face: https://huggingface.co/papers/${papers[9]!.id}`);
    expect(text).not.toMatch(/\d\.[^\s\d]/);
  });

  it("wraps plain-text prose at 78 columns without breaking URLs", async () => {
    const { text } = await renderDigest({ edition: DATE, papers: longPapers.slice(0, 5), config });
    for (const line of text.split("\n")) {
      if (!/https?:\/\//.test(line)) expect(line.length, line).toBeLessThanOrEqual(78);
    }
    expect(text).toContain(`Code on GitHub (123k stars): ${longPapers[0]?.githubRepo}`);
  });

  it("keeps a 30-paper digest of the longest abstracts under Gmail's 102 KB clipping limit", async () => {
    const rendered = await renderDigest({ edition: DATE, papers: longPapers.slice(0, 30), config });
    expect(new Set(hrefs(rendered.html).filter((href) => href.startsWith("https://huggingface.co/papers/"))).size).toBe(30);
    expect(bytes(rendered.html)).toBeLessThan(GMAIL_CLIP_BYTES);
    // Personalising swaps in longer URLs and up to ten topics; there must be room for them.
    const token = "x".repeat(200);
    const topics = Array.from({ length: 10 }, () => `“${"k".repeat(40)}”`).join(", ");
    const personal = personalize(rendered, { unsubscribeUrl: `${config.publicBaseUrl}/unsubscribe?token=${token}`, preferencesUrl: `${config.publicBaseUrl}/preferences?token=${token}`, topics });
    expect(bytes(personal.html)).toBeLessThan(GMAIL_CLIP_BYTES);
  });

  it("refuses an empty digest and an impossible day or week", async () => {
    await expect(renderDigest({ edition: DATE, papers: [], config })).rejects.toThrow(/no papers/);
    for (const edition of ["2026-02-30", "26/11/2026", "2025-W53", "2026-W00"])
      await expect(renderDigest({ edition, papers: [paper()], config }), edition).rejects.toThrow(RangeError);
  });
});
