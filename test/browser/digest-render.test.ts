// The rendered emails in a real browser engine: Chromium stands in for the WebKit/Blink-based
// clients (Apple Mail, Gmail's apps, Outlook on the web). Rendered in Node exactly as the Worker
// renders them; screenshots land in test-artifacts/email/ for a human look.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConfirmSubscription } from "../../emails/confirm-subscription";
import { Welcome } from "../../emails/welcome";
import { renderDigest } from "../../src/digest/render";
import { renderEmail } from "../../src/presentation/render-email";
import { samplePapers } from "../../src/papers/sample-papers";
import { launchChromium } from "../support/chromium";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const artifacts = join(root, "test-artifacts", "email");
const config = { publicBaseUrl: "https://paperboy.test", senderPostalAddress: "paperboy, 1 Test Street, 12345 Testville" };
const papers = samplePapers().slice(0, 10);

let browser: Browser | undefined;
let digestHtml = "";

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  digestHtml = (await renderDigest({ edition: "2024-03-17", papers, config })).html;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => {});
});

type Scheme = "light" | "dark";

/**
 * Opens `html` like a mail client's reading pane: no network at all (every request is refused
 * and counted), the given width and colour scheme. `done` closes it.
 */
async function openEmail(html: string, width: number, colorScheme: Scheme) {
  const context = await browser!.newContext({ viewport: { width, height: 800 }, colorScheme });
  context.setDefaultTimeout(15_000);
  const requests: string[] = [];
  await context.route("**/*", (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  await page.setContent(html, { waitUntil: "load" });
  return { page, requests, done: () => context.close() };
}

function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/**
 * Text that is hard to read: for every element with visible text of its own, the WCAG contrast
 * of its colour against the first opaque background behind it (the canvas if none).
 */
function lowContrastText(page: Page, colorScheme: Scheme): Promise<string[]> {
  return page.evaluate((scheme) => {
    /** "rgb(r, g, b)" or "rgba(r, g, b, a)" as numbers; alpha defaults to 1. */
    const rgba = (value: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (value.match(/[\d.]+/g) ?? []).map(Number);
      return { rgb: [r, g, b], alpha: a };
    };
    const luminance = (rgb: number[]) => {
      const [r = 0, g = 0, b = 0] = rgb.map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const canvas = scheme === "dark" ? [18, 18, 18] : [255, 255, 255];
    const problems: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      const ownText = Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== "");
      const style = getComputedStyle(element);
      // Text nobody sees (the preheader is display:none) has no contrast to judge.
      if (!ownText || element.getClientRects().length === 0 || parseFloat(style.fontSize) === 0) continue;
      let background = canvas;
      for (let node: HTMLElement | null = element; node; node = node.parentElement) {
        const color = rgba(getComputedStyle(node).backgroundColor);
        if (color.alpha > 0) {
          background = color.rgb;
          break;
        }
      }
      const [light = 1, dark = 0] = [luminance(rgba(style.color).rgb), luminance(background)].sort((a, b) => b - a);
      const ratio = (light + 0.05) / (dark + 0.05);
      if (ratio < 4.5) problems.push(`${element.tagName} "${element.textContent!.trim().slice(0, 40)}": ${ratio.toFixed(2)}`);
    }
    return problems;
  }, colorScheme);
}

describe("the DailyDigest in Chromium", () => {
  for (const width of [375, 1280]) {
    for (const scheme of ["light", "dark"] as const) {
      test(`at ${width} px in the ${scheme} scheme: no sideways scrolling, every paper visible, readable, nothing fetched`, async () => {
        const { page, requests, done } = await openEmail(digestHtml, width, scheme);
        try {
          expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
          for (const paper of papers) {
            const title = page.getByRole("heading", { level: 2, name: paper.title, exact: true });
            await expect.poll(() => title.isVisible(), { message: paper.title }).toBe(true);
            const box = (await title.boundingBox())!;
            expect(box.x).toBeGreaterThanOrEqual(0);
            expect(box.x + box.width, paper.title).toBeLessThanOrEqual(width);
          }
          expect(await lowContrastText(page, scheme)).toEqual([]);
          expect(requests).toEqual([]);
          await page.screenshot({ path: join(artifacts, `daily-digest-${width}-${scheme}.png`), fullPage: true });
        } finally {
          await done();
        }
      });
    }
  }

  test("the card is at most 600 px wide on a wide screen and fills a phone's width", async () => {
    for (const [width, expected] of [
      [1280, 600],
      [375, 375 - 2 * 8],
    ] as const) {
      const { page, done } = await openEmail(digestHtml, width, "light");
      try {
        const card = page.locator('table[role="presentation"] table[role="presentation"]').first();
        expect(Math.round((await card.boundingBox())!.width)).toBe(expected);
      } finally {
        await done();
      }
    }
  });
});

describe("the one-message emails in Chromium at 375 px", () => {
  const confirmUrl = `https://paperboy.test/confirm?token=${"eyJzdWIiOjEyMywidiI6MX0".repeat(4)}.${"a1B2c3D4e5".repeat(4)}`;
  const cases: [string, () => ReturnType<typeof renderEmail>][] = [
    [
      "confirm-subscription",
      () =>
        renderEmail("Confirm", createElement(ConfirmSubscription, { email: "reader@example.com", confirmUrl, postalAddress: config.senderPostalAddress })),
    ],
    [
      "welcome",
      () =>
        renderEmail(
          "Welcome",
          createElement(Welcome, {
            siteUrl: config.publicBaseUrl,
            unsubscribeUrl: `${config.publicBaseUrl}/unsubscribe?token=abc`,
            preferencesUrl: `${config.publicBaseUrl}/preferences?token=abc`,
            postalAddress: config.senderPostalAddress,
          }),
        ),
    ],
  ];

  for (const [name, render] of cases) {
    for (const scheme of ["light", "dark"] as const) {
      test(`${name} (${scheme}) fits without sideways scrolling and stays readable`, async () => {
        const { page, requests, done } = await openEmail((await render()).html, 375, scheme);
        try {
          expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
          expect(await lowContrastText(page, scheme)).toEqual([]);
          expect(requests).toEqual([]);
          await page.screenshot({ path: join(artifacts, `${name}-375-${scheme}.png`), fullPage: true });
        } finally {
          await done();
        }
      });
    }
  }
});
