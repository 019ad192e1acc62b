// A reader's choices through the real pages, on a 375 px phone, against the real Worker (`wrangler
// dev`, outbox mail): weekly at sign-up, every choice in the preference centre the welcome mail
// links to, and "weekly instead" on the unsubscribe page.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../support/chromium";
import { createLocalState, type DevWorker, type LocalState, startDevWorker } from "../support/dev-worker";
import { hasHorizontalScroll, heading, linkFromOutbox, submitWith, uniqueAddress } from "../support/pages";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const artifacts = join(root, "test-artifacts", "browser");

let state: LocalState | undefined;
let worker: DevWorker | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  state = await createLocalState();
  worker = await startDevWorker({ state, vars: { ENVIRONMENT: "development" } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await worker?.stop();
  await state?.remove();
});

const selected = (page: Page, id: string) => page.locator(`#${id}`).evaluate((select) => (select as HTMLSelectElement).value);

describe("the reader's choices in Chromium at 375 px", () => {
  test("weekly at sign-up; size, topics, own keywords, time zone and hour in the preference centre; weekly instead of leaving", async () => {
    const context = await browser!.newContext({ viewport: { width: 375, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const origin = worker!.publicUrl;
    const email = uniqueAddress("choices");
    try {
      await page.goto(origin);
      await page.getByRole("textbox", { name: "Your email address" }).fill(email);
      await page.getByRole("radio", { name: "Weekly, on Monday" }).check();
      expect((await submitWith(page, "Subscribe")).status()).toBe(303);
      expect(await heading(page)).toBe("Check your inbox");

      await page.goto(await linkFromOutbox(page, origin, { to: email, subject: /Confirm your paperboy subscription/, path: "/confirm" }));
      await submitWith(page, "Confirm my subscription");
      expect(await heading(page)).toBe("You're subscribed");

      // The welcome mail links the preference centre; the choices made at sign-up are there.
      await page.goto(await linkFromOutbox(page, origin, { to: email, subject: /Welcome to paperboy/, path: "/preferences" }));
      expect(await heading(page)).toBe("You're subscribed");
      expect(await page.getByRole("radio", { name: /^Weekly/ }).isChecked()).toBe(true);
      expect(await selected(page, "hour")).toBe("7");
      expect(await selected(page, "timezone")).not.toBe("");
      expect(await hasHorizontalScroll(page)).toBe(false);

      await page.getByRole("radio", { name: /^Daily/ }).check();
      await page.getByRole("radio", { name: "5", exact: true }).check();
      await page.getByRole("checkbox", { name: "Agents" }).check();
      await page.getByRole("checkbox", { name: "Robotics" }).check();
      await page.getByRole("textbox", { name: "Your own keywords, separated by commas" }).fill("mamba, protein folding");
      await page.getByRole("combobox", { name: "Time zone" }).selectOption("Asia/Tokyo");
      await page.getByRole("combobox", { name: "Hour" }).selectOption("8");
      expect((await submitWith(page, "Save my choices")).status()).toBe(303);
      expect(await heading(page)).toBe("Your choices are saved");
      await page.screenshot({ path: join(artifacts, "preferences-375.png"), fullPage: true });

      // What was saved is what the page shows when it is opened again.
      await page.reload();
      expect(await page.getByRole("radio", { name: /^Daily/ }).isChecked()).toBe(true);
      expect(await page.getByRole("radio", { name: "5", exact: true }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "Agents" }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "Robotics" }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "Vision" }).isChecked()).toBe(false);
      expect(await page.getByRole("textbox", { name: "Your own keywords, separated by commas" }).inputValue()).toBe("mamba, protein folding");
      expect(await selected(page, "timezone")).toBe("Asia/Tokyo");
      expect(await selected(page, "hour")).toBe("8");
      expect(await page.locator("main").textContent()).toContain("a morning later, at 08:00");
      expect(await hasHorizontalScroll(page)).toBe(false);

      // Leaving, a daily reader is offered the weekly digest after the unsubscribe button.
      await page.goto(await linkFromOutbox(page, origin, { to: email, subject: /Welcome to paperboy/, path: "/unsubscribe" }));
      const buttons = await page.getByRole("button").allTextContents();
      expect(buttons.indexOf("Switch to weekly instead")).toBeGreaterThan(buttons.indexOf("Unsubscribe"));
      expect((await submitWith(page, "Switch to weekly instead")).status()).toBe(303);
      expect(await heading(page)).toBe("You're on the weekly digest");
      expect(await hasHorizontalScroll(page)).toBe(false);
    } finally {
      await context.close();
    }
  });
});
