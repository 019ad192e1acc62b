// Where the reader stands, on a 375 px phone in Chromium against the real Worker (`wrangler dev`,
// outbox mail): reload and history after every form, signing up again, the subscription's page,
// "delete my data" asked once and the way back, "manage by email" from a dead end, the typo hint.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../support/chromium";
import { createLocalState, type DevWorker, type LocalState, startDevWorker } from "../support/dev-worker";
import { hasHorizontalScroll, heading, linkFromOutbox, masked, submitWith, uniqueAddress } from "../support/pages";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const artifacts = join(root, "test-artifacts", "browser");

let state: LocalState | undefined;
let worker: DevWorker | undefined;
let browser: Browser | undefined;
let origin = "";

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  state = await createLocalState();
  worker = await startDevWorker({ state, vars: { ENVIRONMENT: "development" } });
  origin = worker.publicUrl;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await worker?.stop();
  await state?.remove();
});

/** A phone-sized page in a fresh context; `done` closes it. */
async function openPhone(): Promise<{ page: Page; done: () => Promise<void> }> {
  const context = await browser!.newContext({ viewport: { width: 375, height: 812 } });
  context.setDefaultTimeout(15_000);
  return { page: await context.newPage(), done: () => context.close() };
}

/** The page fits the phone; a screenshot is kept for people to look at. */
async function fitsPhone(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}-375.png`), fullPage: true });
  expect(await hasHorizontalScroll(page), name).toBe(false);
}

async function signUp(page: Page, address: string): Promise<void> {
  await page.goto(origin);
  await page.getByLabel("Your email address").fill(address);
  expect((await submitWith(page, "Subscribe")).status()).toBe(303);
}

const mainText = async (page: Page) => (await page.locator("main").textContent()) ?? "";

describe("the reader's journey at 375 px", () => {
  test("every form leaves a page that reloads and goes back without a 405", async () => {
    const { page, done } = await openPhone();
    const address = uniqueAddress("reload");
    try {
      await signUp(page, address);
      expect(new URL(page.url()).pathname).toBe("/subscribe");
      expect((await page.reload())?.status()).toBe(200);
      expect(await heading(page)).toBe("Check your inbox");
      await page.goBack();
      expect(await heading(page)).toBe("The day's trending AI papers, in your inbox");
      expect((await page.goForward())?.status()).toBe(200);
      expect(await heading(page)).toBe("Check your inbox");

      await page.goto(await linkFromOutbox(page, origin, { to: address, subject: /confirm/i, path: "/confirm" }));
      expect(await mainText(page)).toContain(masked(address));
      await fitsPhone(page, "confirm-masked");
      expect((await submitWith(page, "Confirm my subscription")).status()).toBe(303);
      expect((await page.reload())?.status()).toBe(200);
      expect(await heading(page)).toBe("You're subscribed");
      // Back to the confirmation link: it knows the address is confirmed already.
      await page.goBack();
      expect(await heading(page)).toBe("You're subscribed");
      expect(await mainText(page)).toContain("is already confirmed");
      expect(await page.getByRole("button").count()).toBe(0);
    } finally {
      await done();
    }
  });

  test("signing up again mails 'already subscribed'; its link opens the subscription, which leaves, deletes (asking once) and comes back", async () => {
    const { page, done } = await openPhone();
    const address = uniqueAddress("again");
    try {
      await signUp(page, address);
      await page.goto(await linkFromOutbox(page, origin, { to: address, subject: /confirm/i, path: "/confirm" }));
      await submitWith(page, "Confirm my subscription");

      await signUp(page, address.toUpperCase());
      expect(await heading(page)).toBe("Check your inbox");
      const manage = await linkFromOutbox(page, origin, { to: address, subject: /already subscribed/i, path: "/preferences" });
      await page.goto(manage);
      expect(await heading(page)).toBe("You're subscribed");
      expect(await mainText(page)).toContain(masked(address));
      await fitsPhone(page, "preferences");

      expect((await submitWith(page, "Unsubscribe")).status()).toBe(303);
      expect(await heading(page)).toBe("You're unsubscribed");
      await page.getByRole("button", { name: "Delete my data" }).click();
      expect(await heading(page)).toBe("Delete your data?");
      expect(await mainText(page)).toContain("This removes your address");
      expect(await mainText(page)).toContain("and its history from paperboy. Continue?");
      await fitsPhone(page, "delete-ask");
      expect((await submitWith(page, "Yes, delete my data")).status()).toBe(303);
      expect(await heading(page)).toBe("Your data is deleted");
      expect(await mainText(page)).toContain("What remains is a one-way fingerprint");
      await fitsPhone(page, "deleted");

      // The old link is a dead end now, and offers a way out.
      await page.goto(manage);
      expect(await heading(page)).toBe("That didn't work");
      await fitsPhone(page, "dead-end");

      // Coming back: a sign-up sends a confirmation, and confirming it makes the reader a subscriber again.
      await signUp(page, address);
      await page.goto(await linkFromOutbox(page, origin, { to: address, subject: /confirm/i, path: "/confirm" }));
      expect(await heading(page)).toBe("Confirm your subscription");
      await submitWith(page, "Confirm my subscription");
      expect(await heading(page)).toBe("You're subscribed");
    } finally {
      await done();
    }
  });

  test("a dead end's 'manage by email' mails a link to the subscription's page", async () => {
    const { page, done } = await openPhone();
    const address = uniqueAddress("stuck");
    try {
      await signUp(page, address);
      await page.goto(`${origin}/unsubscribe?token=u.1.1.0.broken`);
      expect(await mainText(page)).toContain("We can email you a new link to your subscription.");
      await page.getByLabel("Manage your subscription by email").fill(address);
      expect((await submitWith(page, "Email me a link")).status()).toBe(303);
      expect(await heading(page)).toBe("Check your inbox");
      expect((await page.reload())?.status()).toBe(200);

      await page.goto(await linkFromOutbox(page, origin, { to: address, subject: /manage/i, path: "/preferences" }));
      expect(await heading(page)).toBe("Confirm your subscription");
      expect((await submitWith(page, "Confirm my subscription")).status()).toBe(303);
      expect(await heading(page)).toBe("You're subscribed");
    } finally {
      await done();
    }
  });

  test("a likely typo gets 'did you mean …?', and one click signs up the corrected address instead", async () => {
    const { page, done } = await openPhone();
    const local = `typo${Date.now()}`;
    try {
      await signUp(page, `${local}@gmial.con`);
      expect(await heading(page)).toBe("Check your inbox");
      expect(await page.getByRole("status").textContent()).toBe(`Did you mean ${local}@gmail.com?`);
      await fitsPhone(page, "typo-hint");
      expect((await submitWith(page, `Subscribe ${local}@gmail.com instead`)).status()).toBe(303);
      expect(await page.getByRole("status").count()).toBe(0);
      await linkFromOutbox(page, origin, { to: `${local}@gmail.com`, subject: /confirm/i, path: "/confirm" });
    } finally {
      await done();
    }
  });
});
