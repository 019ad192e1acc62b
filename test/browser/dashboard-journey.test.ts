// The operator's dashboard in Chromium against the real Worker (`wrangler dev`, the mock Resend on
// loopback): sign in through the page, the charts drawn from a seeded list with three months of past,
// an edition sent from the page whose progress bar moves to 100 %, the chunk Resend refused retried
// from its row, the page at 375 px and by keyboard, the README's screenshots, and sign-out.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { topicDayPapers } from "../../bench/lib/topic-papers";
import { launchChromium } from "../support/chromium";
import { ADMIN_TOKEN, bundleWorker, createLocalState, type DevWorker, type LocalState, ROOT, startDevWorker } from "../support/dev-worker";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { hfItemsOf } from "../support/hf-items";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream";
import { hasHorizontalScroll, heading, submitWith } from "../support/pages";
import { type ReaderHistory, seedReaderHistory } from "../support/reader-history";

/** The day before yesterday (UTC): its list of papers is complete and every seeded reader's morning after it has passed. */
const EDITION = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
// The README's screenshots are refreshed on request (`npm run screenshots`); every other run writes
// its own to test-artifacts, so a test run leaves the working tree as it found it.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? join(ROOT, "docs", "screenshots") : join(ROOT, "test-artifacts", "browser");
const LIST = { active: 3300, weeklyEvery: 11, leavers: 150, pending: 40 };

let state: LocalState | undefined;
let bundle: string | undefined;
let mock: MockUpstream | undefined;
let worker: DevWorker | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let readers: ReaderHistory;

beforeAll(async () => {
  state = await createLocalState();
  readers = await seedReaderHistory(state, LIST);
  // Resend refuses the edition's first batch call (a 422): one chunk fails, for the operator to retry.
  mock = await startMockUpstream({ compactBodies: true, settings: { papers: { [EDITION]: hfItemsOf(topicDayPapers()) }, scriptedFaults: ["422"] } });
  // The Worker bundled once and run as is: a file saved under src/ meanwhile cannot restart it and drop its queue.
  bundle = await mkdtemp(join(tmpdir(), "paperboy-dashboard-bundle-"));
  worker = await startDevWorker({
    state,
    script: await bundleWorker(bundle, join(ROOT, "src", "index.ts")),
    resendApiKey: "re_dashboard_journey",
    // Two batch calls a second: 30 chunks take 15 s or more, long enough to watch.
    vars: {
      RESEND_MAX_RPS: "2",
      RESEND_BASE_URL: mock.url,
      PAPERS_API_URL: `${mock.url}/api/daily_papers`,
      // A complete configuration, as the Health panel (and the README's screenshot) should show it.
      MAIL_FROM: "paperboy <digest@paperboy.test>",
      SENDER_POSTAL_ADDRESS: "paperboy, 1 Test Street, 12345 Testville",
      RESEND_WEBHOOK_SECRET: `whsec_${Buffer.from("dashboard-journey-webhook-secret").toString("base64")}`,
    },
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await worker?.stop();
  await mock?.close();
  await state?.remove();
  if (bundle) await rm(bundle, { recursive: true, force: true });
});

const origin = () => worker!.publicUrl;
const card = () => page.locator(`[data-progress="${EDITION}"]`);
const field = (name: string) => card().locator(`[data-field="${name}"]`);
const row = () => page.locator(`tr[data-edition="${EDITION}"]`);
/** The editions table's cells of the edition, by their column heading. */
async function editionRow(): Promise<Record<string, string>> {
  const headings = await page.locator("#editions thead th").allTextContents();
  const cells = await row().locator("th, td").allTextContents();
  return Object.fromEntries(headings.map((name, index) => [name.trim(), (cells[index] ?? "").trim()]));
}
/** A share table's rows as label → readers. */
async function shares(caption: string): Promise<Record<string, string>> {
  const table = page.locator('table[data-chart="share"]').filter({ has: page.locator("caption", { hasText: caption }) });
  const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim() ?? "")));
  return Object.fromEntries(rows.map(([label, count]) => [label, count]));
}

/**
 * What the progress card shows, read every quarter second until it says "Done." (the page's own
 * script updates it from its poll); returns each distinct percentage in the order it appeared.
 */
async function watchProgress(timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Both fields in one look: the script may update the card between two reads.
    const { shown, done } = await card().evaluate((element) => ({
      shown: element.querySelector('[data-field="percent"]')?.textContent?.trim() ?? "",
      done: element.querySelector('[data-field="done"]')?.textContent?.includes("Done.") ?? false,
    }));
    if (seen.at(-1) !== shown) seen.push(shown);
    if (done) return seen;
    if (Date.now() > deadline) throw new Error(`The progress bar did not finish within ${timeoutMs / 1000} s; it showed ${seen.join(" → ")}`);
    await page.waitForTimeout(250);
  }
}

const percentOf = (shown: string) => Number(shown.replace("%", ""));

describe("the operator's dashboard in Chromium", () => {
  test("signs in through the page, and the charts are drawn from the readers", async () => {
    const refused = await page.goto(`${origin()}/admin`);
    expect(refused?.status()).toBe(401);
    expect(await heading(page)).toBe("Operator sign-in");

    await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
    expect((await submitWith(page, "Sign in")).status()).toBe(303);
    expect(await heading(page)).toBe("Dashboard");
    expect(page.url()).toBe(`${origin()}/admin`);

    const figure = (status: string) => page.locator(`[data-status="${status}"] .figure`).textContent();
    expect(await figure("active")).toBe("3,300");
    expect(await figure("unsubscribed")).toBe("150");
    expect(await figure("pending")).toBe("40");

    // The growth chart: bars for sign-ups and leavers, a line through 90 days of active readers rising to today's count.
    const chart = page.locator('svg[data-chart="growth"]');
    expect(await chart.locator("rect.signups").count()).toBeGreaterThan(60);
    // Leavers left on 36 different days ago, each at its own time of day: depending on the hour the test
    // runs, two of them may fall on one UTC date, so at least 18 dates have a leaver bar.
    expect(await chart.locator("rect.leavers").count()).toBeGreaterThanOrEqual(18);
    const points = ((await chart.locator("polyline.active-line").getAttribute("points")) ?? "").trim().split(" ").map((point) => Number(point.split(",")[1]));
    expect(points).toHaveLength(90);
    // (SVG's y grows downwards.) Three months ago a handful, now 3,300 and near the top of its scale.
    expect(points[0]).toBeGreaterThan(points.at(-1)! + 100);
    // Its numbers, day by day, add up to the list.
    const days = await page.locator("figure details tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => Number(td.textContent))));
    expect(days.reduce((sum, [signups]) => sum + signups!, 0)).toBe(LIST.active + LIST.leavers + LIST.pending);
    expect(days.reduce((sum, [, , leavers]) => sum + leavers!, 0)).toBe(LIST.leavers);
    expect(days[0]![3]).toBe(LIST.active);

    expect(await shares("Cadence")).toEqual({ daily: "3,000", weekly: "300" });
    expect(Object.keys(await shares("Papers per digest")).sort()).toEqual(["10 papers", "20 papers", "3 papers", "5 papers"]);
    expect(await shares("Topics")).toMatchObject({ "every topic": expect.any(String), Agents: expect.any(String) });
    expect(Object.keys(await shares("Time zones"))).toEqual(expect.arrayContaining(["UTC", "Europe/London", "America/New_York", "America/Los_Angeles"]));
    // At 1280 px each split shows all its columns without scrolling its table sideways.
    const cutOff = await page.locator('.table-wrap:has(table[data-chart="share"])').evaluateAll((wraps) => wraps.filter((wrap) => wrap.scrollWidth > wrap.clientWidth).length);
    expect(cutOff).toBe(0);
  });

  test("sends an edition from the page and watches its progress bar move to 100 %", async () => {
    await page.getByLabel("Edition to send (or re-drive)").fill(EDITION);
    await page.getByRole("checkbox", { name: "Send it to every reader whose morning has come" }).check();
    expect((await submitWith(page, "Send")).status()).toBe(303);
    await expect.poll(() => page.locator(".notice").textContent()).toBe(`${EDITION} is built: each reader gets it at their morning.`);
    expect(await card().count()).toBe(1);

    const seen = await watchProgress(120_000);
    const percents = seen.map(percentOf);
    expect(percents.toSorted((a, b) => a - b), `shown: ${seen.join(" → ")}`).toEqual(percents);
    expect(new Set(percents.filter((percent) => percent > 0 && percent < 100)).size, `shown: ${seen.join(" → ")}`).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1), `shown: ${seen.join(" → ")}`).toBe("100%");
    expect(await field("bar").evaluate((bar) => (bar as HTMLProgressElement).value)).toBe(100);
    expect(await field("summary").textContent()).toBe("2,900 sent of 3,000 frozen so far");
    // The batch Resend refused: its hundred readers are settled as failed, not counted as sent.
    expect(await field("failed").textContent()).toBe("100");
    expect(await field("chunks").textContent()).toBe("29 / 30");
  }, 150_000);

  test("retries the failed chunk from the edition's row: it settles as sent, every reader mailed exactly once", async () => {
    await page.goto(`${origin()}/admin`);
    expect(await editionRow()).toMatchObject({ status: "sent with failures", recipients: "3000", sent: "2900", failed: "100" });
    await row().getByRole("checkbox", { name: "sure" }).check();
    expect((await submitWith(page, "Retry failed")).status()).toBe(303);
    expect(await page.locator(".notice").textContent()).toBe(`1 chunk of ${EDITION} queued again: their readers get it once, as before.`);
    if ((await card().count()) > 0) expect((await watchProgress(60_000)).at(-1)).toBe("100%");

    await page.goto(`${origin()}/admin`);
    await expect.poll(async () => (await editionRow()).status, { timeout: 30_000, interval: 1_000 }).toBe("sent");
    expect(await editionRow()).toMatchObject({ recipients: "3000", sent: "3000", failed: "0", unknown: "0" });
    expect(await row().getByRole("button", { name: "Retry failed" }).count()).toBe(0);
    expect(countByRecipient(mock!.state.deliveries)).toEqual(exactlyOnce(readers.daily));
  }, 90_000);

  test("works at 375 px and by keyboard; the README's screenshots show it with data", async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.goto(`${origin()}/admin`);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-1280.png"), fullPage: true });

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${origin()}/admin`);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-375.png"), fullPage: true });

    // Tab from the top of the page through to its end, noting what takes the focus.
    const reached: string[] = [];
    for (let step = 0; step < 200; step++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        const label = element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : element.closest("label")?.textContent;
        return `${element.tagName.toLowerCase()}: ${(label ?? element.textContent ?? "").replace(/\s+/g, " ").trim()}`;
      });
      if (focused === null || focused === reached[0]) break;
      reached.push(focused);
    }
    expect(reached.slice(0, 2)).toEqual(["a: paperboy · operator", "button: Sign out"]);
    expect(reached).toEqual(
      expect.arrayContaining([
        "input: Edition to send (or re-drive)",
        "input: Send it to every reader whose morning has come",
        "button: Send",
        "button: Preview",
        "button: Look up",
        "input: Mail each new address a confirmation",
        "button: Import",
      ]),
    );
    expect(await hasHorizontalScroll(page)).toBe(false);
  });

  test("signs out with the header's button, and the old session opens nothing afterwards", async () => {
    const session = (await context.cookies()).find((cookie) => cookie.name === "paperboy_admin");
    expect(session?.httpOnly).toBe(true);
    const stats = () => fetch(`${worker!.url}/admin/stats`, { headers: { accept: "application/json", cookie: `${session!.name}=${session!.value}` } });
    expect((await stats()).status).toBe(200);

    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).focus();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.keyboard.press("Enter")]);
    expect(response.status()).toBe(303);
    expect(await heading(page)).toBe("Operator sign-in");
    expect(await page.getByRole("alert").textContent()).toContain("You are signed out.");
    expect(await context.cookies()).toEqual([]);

    const again = await page.goto(`${origin()}/admin`);
    expect(again?.status()).toBe(401);
    expect(await heading(page)).toBe("Operator sign-in");
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    expect(await hasHorizontalScroll(page)).toBe(false);
    const refused = await stats();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});
