import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DigestStatus } from "../../src/digest/lifecycle";
import { isoWeekDays } from "../../src/lib/calendar";
import { PLACEHOLDERS } from "../../src/presentation/render-email";
import type { Paper } from "../../src/papers/paper";
import { makePaper } from "../fixtures/papers";
import { ORIGIN, worker } from "../support/worker/requests";

const NASTY = `<script>alert(1)</script> & "quotes" $\\mathcal{O}(n^2)$`;
/** NASTY as the pages show it: markup escaped, TeX readable. */
const NASTY_HTML = `&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; 𝒪(n²)`;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** How many of an edition's papers the web shows: `DIGEST_SIZE` in wrangler.toml. */
const WEB_SIZE = 10;

/**
 * Stores an edition the way the pipeline leaves it: its ranked papers, and an email rendering
 * with a subscriber's placeholders (which the web must never show).
 */
async function insertDigest(edition: string, papers: Paper[], status: DigestStatus = "sent", subject = `paperboy · ${edition}: ${papers[0]?.title}`) {
  const weekly = edition.includes("W");
  // A daily edition is ready at 06:00 UTC the day after its day; a weekly one on its Sunday, just after that day's daily one.
  const at = weekly ? Date.parse(`${isoWeekDays(edition).last}T06:01:00Z`) : Date.parse(`${edition}T06:00:00Z`) + DAY_MS;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO digests (edition, cadence, status, subject, papers, sample, ready_at, frozen_through, last_slot, created_at, updated_at, completed_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?7, ?6, ?6, ?8)`,
    ).bind(edition, weekly ? "weekly" : "daily", status, subject, JSON.stringify(papers), at, status === "ready" ? null : at + HOUR_MS, status === "sent" ? at + 60_000 : null),
    env.DB.prepare("INSERT INTO digest_renderings (edition, key, paper_ids, subject, html, text, created_at) VALUES (?, 'k', ?, ?, ?, ?, ?)").bind(
      edition,
      JSON.stringify(papers.map((paper) => paper.id)),
      subject,
      `<a href="${PLACEHOLDERS.unsubscribeUrl}">Unsubscribe</a> <a href="${PLACEHOLDERS.preferencesUrl}">Manage preferences</a> <a href="${ORIGIN}/unsubscribe?token=leaked">x</a>`,
      `Unsubscribe: ${PLACEHOLDERS.unsubscribeUrl} ${PLACEHOLDERS.topics}`,
      at,
    ),
  ]);
}

/** January 2026, day `n` (1-based). */
const day = (n: number) => `2026-01-${String(n).padStart(2, "0")}`;

/**
 * A tiny well-formedness check: tags nest and close, text and attribute values hold no raw `<`
 * and no `&` that is not one of XML's five entities or a character reference.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const badAmp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i;
  for (const [token] of xml.replace(/^<\?xml[^?]*\?>/, "").matchAll(/<[^<>]*>|[^<>]+|[<>]/g)) {
    if (token === "<" || token === ">") problems.push(`stray ${token}`);
    else if (token.startsWith("</")) {
      const name = token.slice(2, -1).trim();
      if (stack.pop() !== name) problems.push(`unexpected ${token}`);
    } else if (token.startsWith("<")) {
      const name = /^<([\w:-]+)/.exec(token)?.[1];
      if (!name) problems.push(`bad tag ${token}`);
      else if (!token.endsWith("/>")) stack.push(name);
      if (badAmp.test(token)) problems.push(`bad & in ${token}`);
    } else if (badAmp.test(token)) problems.push(`bad & in text ${token.slice(0, 60)}`);
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(", ")}`);
  return problems;
}

const entries = (xml: string) => [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]!);
const textOf = (xml: string, tag: string) => new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(xml)?.[1];

describe("the test's XML check", () => {
  it("catches what would make a feed unreadable", () => {
    expect(xmlProblems("<a><b>x</b></a>")).toEqual([]);
    expect(xmlProblems("<a>x & y</a>")).not.toEqual([]);
    expect(xmlProblems("<a><script>x</a>")).not.toEqual([]);
    expect(xmlProblems("<a>1 < 2</a>")).not.toEqual([]);
  });
});

describe("before any digest went out", () => {
  it("the home page still works and shows no preview", async () => {
    const response = await worker("/");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<form");
    expect(html).not.toContain("From the latest digest");
  });

  it("the archive says so and the feed is valid but empty", async () => {
    const archive = await worker("/archive");
    expect(archive.status).toBe(200);
    expect(await archive.text()).toContain("No digest has been sent yet");

    const feed = await (await worker("/feed.xml")).text();
    expect(xmlProblems(feed)).toEqual([]);
    expect(entries(feed)).toEqual([]);
    expect(textOf(feed, "updated")).toBe("1970-01-01T00:00:00Z");
  });
});

describe("with 25 published daily editions and some that are not", () => {
  const nasty = makePaper({ title: NASTY, aiSummary: `A <b>bold</b> claim & a $\\frac{1}{2}$ bound.\u0001\u001F` });
  // The edition keeps its day's ranked list; the web shows its top WEB_SIZE.
  const newestPapers = [nasty, ...Array.from({ length: 13 }, (_, i) => makePaper({ title: `Newest paper ${String(i + 2).padStart(2, "0")}` }))];
  const shown = newestPapers.slice(0, WEB_SIZE);

  it("are stored", async () => {
    for (let n = 1; n <= 24; n++) await insertDigest(day(n), [makePaper({ title: `Top paper of day ${n}` })]);
    // Still going out counts as published; built but not yet sending, or skipped, does not.
    await insertDigest(day(25), newestPapers, "sending", `paperboy · 25 Jan 2026: ${NASTY}\u0002`);
    await insertDigest(day(30), [makePaper({ title: "Not sent yet" })], "ready");
    await env.DB.prepare("INSERT INTO digests (edition, cadence, status, skip_reason, created_at, updated_at) VALUES (?, 'daily', 'skipped', 'empty', 0, 0)")
      .bind(day(31))
      .run();
  });

  describe("GET /digest/:date", () => {
    it("shows the edition's top papers as a web page, markup in titles escaped", async () => {
      const response = await worker(`/digest/${day(25)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain("<h1>Sunday, 25 January 2026</h1>");
      expect(html).toContain(`<a href="https://huggingface.co/papers/${nasty.id}">${NASTY_HTML}</a>`);
      expect(html).toContain("A &lt;b&gt;bold&lt;/b&gt; claim &amp; a 1/2 bound.");
      expect(html).not.toMatch(/<script|<b>/);
      for (const paper of shown.slice(1)) expect(html).toContain(paper.title);
      for (const paper of newestPapers.slice(WEB_SIZE)) expect(html).not.toContain(paper.title);
    });

    it("carries no subscriber's link, only a way to subscribe", async () => {
      const html = await (await worker(`/digest/${day(25)}`)).text();
      expect(html).not.toMatch(/token=|unsubscribe|paperboy\.invalid/i);
      expect(html).toMatch(/<a href="\/">Subscribe to paperboy<\/a>/);
    });

    it("answers 404 for a day without a digest, or whose digest has not gone out", async () => {
      for (const date of ["2025-12-31", day(30), day(31)]) {
        const response = await worker(`/digest/${date}`);
        expect(response.status, date).toBe(404);
        expect(await response.text()).toContain("There is no digest for this day or week");
      }
    });

    it("answers 400 for a malformed or impossible date", async () => {
      for (const date of ["2026-13-01", "abc", "2026-02-30", "2026-1-5", "20260105", "2026-W00", "2025-W53", "2026-W4"]) {
        const response = await worker(`/digest/${date}`);
        expect(response.status, date).toBe(400);
      }
    });

    it("takes GET only", async () => {
      const response = await worker(`/digest/${day(25)}`, { method: "POST" });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    });
  });

  describe("GET /archive", () => {
    it("lists 20 digests per page, newest first, with a link to the older ones", async () => {
      const html = await (await worker("/archive")).text();
      const dates = [...html.matchAll(/<a href="\/digest\/([\d-]+)">/g)].map((m) => m[1]);
      expect(dates).toEqual(Array.from({ length: 20 }, (_, i) => day(25 - i)));
      expect(html).toContain('<a href="/archive?page=2" rel="next">');
      expect(html).not.toContain('rel="prev"');
      expect(html).toContain("Page 1 of 2");
      expect(html).toContain(`${WEB_SIZE} papers, led by “${NASTY_HTML}”`);
      expect(html).not.toContain("<script>");
    });

    it("shows the rest on page 2, linking back to page 1", async () => {
      const html = await (await worker("/archive?page=2")).text();
      const dates = [...html.matchAll(/<a href="\/digest\/([\d-]+)">/g)].map((m) => m[1]);
      expect(dates).toEqual([day(5), day(4), day(3), day(2), day(1)]);
      expect(html).toContain('<a href="/archive" rel="prev">');
      expect(html).not.toContain('rel="next"');
    });

    it("answers 404 past the last page and 400 for a page that is not a positive whole number", async () => {
      expect((await worker("/archive?page=3")).status).toBe(404);
      for (const page of ["0", "-1", "abc", "1.5", "", "2e1", "9999999"]) {
        expect((await worker(`/archive?page=${page}`)).status, page).toBe(400);
      }
    });
  });

  describe("GET /feed.xml", () => {
    it("is well-formed Atom with the newest 20 daily editions", async () => {
      const response = await worker("/feed.xml");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
      const xml = await response.text();

      expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')).toBe(true);
      expect(xmlProblems(xml)).toEqual([]);
      expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${ORIGIN}/feed.xml"/>`);
      expect(xml).toContain(`<link rel="alternate" type="text/html" href="${ORIGIN}/archive"/>`);
      expect(textOf(xml, "id")).toBe(`${ORIGIN}/feed.xml`);
      expect(xml).toMatch(/<author><name>paperboy<\/name>/);

      const all = entries(xml);
      expect(all).toHaveLength(20);
      const ids = all.map((entry) => textOf(entry, "id"));
      expect(new Set(ids).size).toBe(20);
      expect(ids[0]).toBe(`${ORIGIN}/digest/${day(25)}`);
      for (const entry of all) {
        expect(textOf(entry, "updated")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(entry).toMatch(/<link rel="alternate" type="text\/html" href="https:\/\/paperboy\.test\/digest\/2026-01-\d\d"\/>/);
        expect(entry).toMatch(/<content type="html">[^<]+<\/content>/);
      }
      // The feed is as fresh as its newest entry.
      expect(textOf(xml, "updated")).toBe(textOf(all[0]!, "updated"));
      expect(textOf(all[0]!, "updated")).toBe("2026-01-26T06:00:00Z");
    });

    it("escapes titles and content so markup stays text, and drops characters XML forbids", async () => {
      const xml = await (await worker("/feed.xml")).text();
      const newest = entries(xml)[0]!;
      expect(xml).not.toMatch(/<script|<b>|[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      expect(textOf(newest, "title")).toBe(`paperboy · 25 Jan 2026: ${NASTY_HTML}`);
      // Content is HTML carried as text: the paper's escaped title, escaped once more.
      const content = textOf(newest, "content")!;
      expect(content).toContain("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; &amp;quot;quotes&amp;quot; 𝒪(n²)");
      const unescaped = content.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      expect(unescaped).toContain(`<a href="https://huggingface.co/papers/${nasty.id}">${NASTY_HTML}</a>`);
      expect(unescaped).toContain(`<a href="${ORIGIN}/digest/${day(25)}">`);
      expect(unescaped.match(/<li>/g)).toHaveLength(WEB_SIZE);
    });
  });

  describe("GET /", () => {
    it("previews the latest digest's top five papers and links to it", async () => {
      const html = await (await worker("/")).text();
      expect(html).toContain("From the latest digest, Sunday, 25 January 2026");
      expect(html).toContain(`<a href="https://huggingface.co/papers/${nasty.id}">${NASTY_HTML}</a>`);
      for (const paper of newestPapers.slice(1, 5)) expect(html).toContain(paper.title);
      expect(html).not.toContain(newestPapers[5]!.title);
      expect(html).toContain(`<a href="/digest/${day(25)}">Read the whole digest</a>`);
      expect(html).not.toContain("<script>");
    });

    it("advertises the daily and the weekly feed in every page's head", async () => {
      for (const path of ["/", "/archive", `/digest/${day(25)}`]) {
        const html = await (await worker(path)).text();
        expect(html, path).toContain('<link rel="alternate" type="application/atom+xml" title="paperboy daily" href="/feed.xml"/>');
        expect(html, path).toContain('<link rel="alternate" type="application/atom+xml" title="paperboy weekly" href="/feed/weekly.xml"/>');
      }
    });
  });
});

describe("weekly editions besides the daily ones", () => {
  const weekPapers = Array.from({ length: 12 }, (_, i) => makePaper({ title: `Paper of the week ${String(i + 1).padStart(2, "0")}` }));
  const linked = (html: string) => [...html.matchAll(/<a href="\/digest\/([\dW-]+)">/g)].map((m) => m[1]);

  it("are stored", async () => {
    await insertDigest("2026-W03", [makePaper({ title: "Top paper of week 3" })], "sent", "paperboy weekly · Week 3, 2026: Top paper of week 3");
    await insertDigest("2026-W04", weekPapers, "sending", "paperboy weekly · Week 4, 2026: Paper of the week 01");
    await insertDigest("2026-W05", [makePaper({ title: "Week not out yet" })], "ready");
  });

  it("each has its web page, headed by its week, with its top papers", async () => {
    const html = await (await worker("/digest/2026-W04")).text();
    expect(html).toContain("<h1>Week 4 · 19–25 January 2026</h1>");
    for (const paper of weekPapers.slice(0, WEB_SIZE)) expect(html).toContain(paper.title);
    for (const paper of weekPapers.slice(WEB_SIZE)) expect(html).not.toContain(paper.title);
    expect(html).not.toMatch(/token=|unsubscribe|paperboy\.invalid/i);
    expect((await worker("/digest/2026-W05")).status).toBe(404);
  });

  it("are listed in the archive among the daily ones, in the order they were made", async () => {
    const html = await (await worker("/archive")).text();
    expect(linked(html)).toEqual([day(25), "2026-W04", ...[24, 23, 22, 21, 20, 19, 18].map(day), "2026-W03", ...[17, 16, 15, 14, 13, 12, 11, 10, 9, 8].map(day)]);
    expect(html).toContain("Weekly: Week 4 · 19–25 January 2026");
    expect(linked(await (await worker("/archive?page=2")).text())).toEqual([7, 6, 5, 4, 3, 2, 1].map(day));
  });

  it("have their own feed, and the daily feed and the home page keep to the daily ones", async () => {
    const response = await worker("/feed/weekly.xml");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await response.text();
    expect(xmlProblems(xml)).toEqual([]);
    expect(textOf(xml, "title")).toBe("paperboy weekly");
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${ORIGIN}/feed/weekly.xml"/>`);
    const weekly = entries(xml);
    expect(weekly.map((entry) => textOf(entry, "id"))).toEqual([`${ORIGIN}/digest/2026-W04`, `${ORIGIN}/digest/2026-W03`]);
    expect(textOf(weekly[0]!, "title")).toBe("paperboy weekly · Week 4, 2026: Paper of the week 01");
    expect(textOf(xml, "updated")).toBe("2026-01-25T06:01:00Z");

    const daily = entries(await (await worker("/feed.xml")).text());
    expect(daily).toHaveLength(20);
    for (const entry of daily) expect(textOf(entry, "id")).toMatch(/\/digest\/2026-01-\d\d$/);
    expect(await (await worker("/")).text()).toContain("From the latest digest, Sunday, 25 January 2026");
  });
});
