import type { Page, Response } from "playwright-core";

/** Clicks a form's submit button and resolves with the response to the POST it sends. */
export async function submitWith(page: Page, buttonName: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === "POST" && r.request().isNavigationRequest() && r.frame() === page.mainFrame(),
    ),
    page.getByRole("button", { name: buttonName, exact: true }).click(),
  ]);
  await page.waitForLoadState("domcontentloaded");
  return response;
}

/** The page's main heading, once the page has loaded. */
export async function heading(page: Page): Promise<string> {
  await page.waitForLoadState("domcontentloaded");
  return ((await page.locator("h1").first().textContent()) ?? "").trim();
}

/**
 * Reads a link out of a message in the local outbox the way a person would: open the outbox (and
 * reload it until the mail has arrived: it is sent a moment after the request that asked for it),
 * pick the newest message to `to` whose subject matches, and copy the link from its plain-text part.
 */
export async function linkFromOutbox(
  page: Page,
  origin: string,
  { to, subject, path }: { to: string; subject: RegExp; path: string },
): Promise<string> {
  const row = page.locator("tbody tr").filter({ hasText: to }).filter({ hasText: subject }).first();
  const deadline = Date.now() + 15_000;
  for (;;) {
    await page.goto(`${origin}/dev/outbox`);
    if ((await row.count()) > 0 || Date.now() > deadline) break;
    await page.waitForTimeout(250);
  }
  await row.getByRole("link").click();
  await page.waitForLoadState("domcontentloaded");
  const text = (await page.locator("pre").first().textContent()) ?? "";
  const pattern = new RegExp(`${escapeRegExp(origin)}${escapeRegExp(path)}\\?token=[A-Za-z0-9._~%-]+`);
  const link = text.match(pattern)?.[0];
  if (!link) throw new Error(`No ${path} link in the mail to ${to}. Its text part:\n${text}`);
  return link;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A fresh address per run, so reruns never meet an earlier subscriber. */
export function uniqueAddress(label: string): string {
  return `${label}+${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** An address as the pages a link opens show it: `journey+…@example.com` → `jo•••@example.com`. */
export function masked(address: string): string {
  return `${address.slice(0, 2)}•••${address.slice(address.indexOf("@"))}`;
}

export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
