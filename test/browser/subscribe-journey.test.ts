// The subscriber's whole journey in a real browser against the real Worker (`wrangler dev`,
// outbox mail, its own temporary D1): sign up, confirm, unsubscribe, resubscribe.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../support/chromium";
import { createLocalState, type DevWorker, type LocalState, startDevWorker } from "../support/dev-worker";
import { hasHorizontalScroll, heading, linkFromOutbox, masked, submitWith, uniqueAddress } from "../support/pages";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const artifacts = join(root, "test-artifacts", "browser");

let state: LocalState | undefined;
let worker: DevWorker | undefined;
let browser: Browser | undefined;
/** The origin a reader's browser uses: the Worker's PUBLIC_BASE_URL. */
let origin = "";

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  state = await createLocalState();
  // Outbox mode (no RESEND_API_KEY), so the mail lands at /dev/outbox.
  worker = await startDevWorker({ state, vars: { ENVIRONMENT: "development" } });
  origin = worker.publicUrl;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await worker?.stop();
  await state?.remove();
});

/** A page in a fresh context; the context is closed by the returned `done`. */
async function openPage(options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ page: Page; done: () => Promise<void> }> {
  const context: BrowserContext = await browser!.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { page, done: () => context.close() };
}

describe("subscribe journey in Chromium", () => {
  test("the home page has a language, a labelled field and a keyboard-reachable, visibly focused button", async () => {
    const { page, done } = await openPage();
    try {
      const response = await page.goto(origin);
      expect(response?.status()).toBe(200);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");

      const field = page.getByRole("textbox", { name: "Your email address" });
      expect(await field.count()).toBe(1);
      expect(await field.evaluate((el) => (el as HTMLInputElement).labels?.length ?? 0)).toBeGreaterThan(0);
      expect(await field.getAttribute("autocomplete")).toBe("email");

      // Tab from the top of the page: the field comes before the button, and the button shows its focus.
      const focusOrder: string[] = [];
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          return el ? `${el.tagName.toLowerCase()}:${el.getAttribute("id") ?? el.textContent?.trim() ?? ""}` : "";
        });
        focusOrder.push(focused);
        if (focused === "button:Subscribe") break;
      }
      expect(focusOrder).toContain("input:email");
      expect(focusOrder.at(-1)).toBe("button:Subscribe");
      expect(focusOrder.indexOf("input:email")).toBeLessThan(focusOrder.length - 1);

      const focusStyle = await page.getByRole("button", { name: "Subscribe" }).evaluate((el) => {
        const style = getComputedStyle(el);
        return {
          focusVisible: el.matches(":focus-visible"),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
          boxShadow: style.boxShadow !== "none",
        };
      });
      expect(focusStyle.focusVisible).toBe(true);
      expect(focusStyle.outline || focusStyle.boxShadow).toBe(true);
    } finally {
      await done();
    }
  });

  test("the home page fits a 375 px phone and a 1280 px desktop", async () => {
    const { page, done } = await openPage();
    try {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(origin);
      await page.screenshot({ path: join(artifacts, "home-375.png"), fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      expect(await hasHorizontalScroll(page)).toBe(false);

      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(origin);
      await page.screenshot({ path: join(artifacts, "home-1280.png"), fullPage: true });
      expect(await hasHorizontalScroll(page)).toBe(false);
    } finally {
      await done();
    }
  });

  test("an address the browser cannot accept is stopped before it is sent", async () => {
    const { page, done } = await openPage();
    try {
      await page.goto(origin);
      const field = page.getByLabel("Your email address");
      await field.fill("not-an-email");
      await page.getByRole("button", { name: "Subscribe" }).click();
      expect(await field.evaluate((el) => (el as HTMLInputElement).validity.valid)).toBe(false);
      expect(new URL(page.url()).pathname).toBe("/");
    } finally {
      await done();
    }
  });

  test("an address the server rejects comes back as a readable 422 that keeps what was typed", async () => {
    const { page, done } = await openPage({ viewport: { width: 375, height: 812 } });
    try {
      await page.goto(origin);
      // Valid to the browser's type=email check, but not a deliverable domain.
      await page.getByLabel("Your email address").fill("reader@localhost");
      const response = await submitWith(page, "Subscribe");
      expect(response.status()).toBe(422);

      const field = page.getByLabel("Your email address");
      expect(await field.inputValue()).toBe("reader@localhost");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      const alert = page.getByRole("alert");
      expect(((await alert.textContent()) ?? "").trim()).not.toBe("");
      expect(await field.getAttribute("aria-describedby")).toBe(await alert.getAttribute("id"));
      await page.screenshot({ path: join(artifacts, "home-error-375.png"), fullPage: true });
      expect(await hasHorizontalScroll(page)).toBe(false);
    } finally {
      await done();
    }
  });

  test("subscribe, confirm, unsubscribe and resubscribe, reading the links from the outbox", async () => {
    const { page, done } = await openPage();
    const address = uniqueAddress("journey");
    try {
      await page.goto(origin);
      await page.getByLabel("Your email address").fill(address);
      // Every form answers a browser with 303 See Other to a page it can reload (Post/Redirect/Get).
      expect((await submitWith(page, "Subscribe")).status()).toBe(303);
      expect(await heading(page)).toBe("Check your inbox");

      const confirmLink = await linkFromOutbox(page, origin, { to: address, subject: /confirm/i, path: "/confirm" });
      await page.goto(confirmLink);
      expect(await heading(page)).toBe("Confirm your subscription");
      await page.setViewportSize({ width: 375, height: 812 });
      await page.screenshot({ path: join(artifacts, "confirm-375.png"), fullPage: true });
      expect(await hasHorizontalScroll(page)).toBe(false);
      expect((await submitWith(page, "Confirm my subscription")).status()).toBe(303);
      expect(await heading(page)).toBe("You're subscribed");
      // The pages a link opens show the address masked: enough for its owner to recognise.
      expect(await page.locator("main").textContent()).toContain(masked(address));

      const unsubscribeLink = await linkFromOutbox(page, origin, { to: address, subject: /welcome/i, path: "/unsubscribe" });
      await page.goto(unsubscribeLink);
      expect(await heading(page)).toBe("Unsubscribe from paperboy?");
      expect((await submitWith(page, "Unsubscribe")).status()).toBe(303);
      expect(await heading(page)).toBe("You're unsubscribed");
      expect(await page.locator("main").textContent()).toContain(masked(address));

      expect((await submitWith(page, "Subscribe again")).status()).toBe(303);
      expect(await heading(page)).toBe("Welcome back");
      expect(await page.locator("main").textContent()).toContain(masked(address));
    } finally {
      await done();
    }
  });

  test("subscribing and confirming work with JavaScript turned off", async () => {
    const { page, done } = await openPage({ javaScriptEnabled: false });
    const address = uniqueAddress("nojs");
    try {
      await page.goto(origin);
      await page.getByLabel("Your email address").fill(address);
      expect((await submitWith(page, "Subscribe")).status()).toBe(303);
      expect(await heading(page)).toBe("Check your inbox");

      const confirmLink = await linkFromOutbox(page, origin, { to: address, subject: /confirm/i, path: "/confirm" });
      await page.goto(confirmLink);
      expect((await submitWith(page, "Confirm my subscription")).status()).toBe(303);
      expect(await heading(page)).toBe("You're subscribed");
    } finally {
      await done();
    }
  });
});
