/**
 * "Manage by email": every dead end (a broken, expired or old link) offers to email a link to the
 * subscription's page. The answer is the same for every address; the mail goes only to an address
 * on the list that is not suppressed, at most once per 10 minutes, and the form is screened like sign-ups.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { signToken } from "../../src/subscribers/tokens";
import { expectJsonError } from "../support/worker/answers";
import { uniqueEmail } from "../support/worker/db";
import { BROWSER_FORM, formsIn, headingOf, submitAsBrowser } from "../support/worker/forms";
import { expectManageMail } from "../support/worker/mail-checks";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { linkIn, oneClickUnsubscribe, pathOf, signUp, signUpAndConfirm, subscribeJson, tokenOf, worker } from "../support/worker/requests";
import { testConfig } from "../support/worker/services";

const MANAGE = "Your link to manage paperboy";

beforeEach(() => resetMock());

function askForLink(email: string, client: Record<string, string> = {}) {
  return worker("/manage", { method: "POST", headers: { ...BROWSER_FORM, ...client }, body: new URLSearchParams({ email }).toString(), redirect: "manual" });
}

const manageMails = async (email: string) => (await acceptedSendsTo(email)).filter((send) => send.body.subject === MANAGE);

describe("dead ends offer a link by email", () => {
  it("on a broken, an expired and an old link's page: the form sends a link to the subscription's page", async () => {
    const email = uniqueEmail("stuck");
    const unsubscribeLink = await signUpAndConfirm(email);
    const confirm = tokenOf(await signUp(uniqueEmail("other")));
    const [, id, version] = confirm.split(".");
    const expired = await signToken(testConfig().signingSecret, { purpose: "confirm", subscriberId: Number(id), tokenVersion: Number(version), expiresAt: Date.now() - 2000 });
    await env.DB.prepare("UPDATE subscribers SET token_version = token_version + 1 WHERE email_key = ?").bind(email.toLowerCase()).run();

    for (const [path, advice] of [
      ["/unsubscribe?token=u.1.2", "This link is incomplete."],
      [`/confirm?token=${expired}`, "This confirmation link has expired. Sign up again on the home page to get a fresh one."],
      [pathOf(unsubscribeLink), "This link is no longer valid. We can email you a new link to your subscription."],
    ] as const) {
      const response = await worker(path, { headers: { accept: "text/html" } });
      expect(response.status, path).toBe(400);
      const html = (await response.text()).replace(/&#39;/g, "'");
      expect(html, path).toContain(advice);
      // Someone who wants to leave is never told to sign up.
      if (!path.startsWith("/confirm")) expect(html, path).not.toMatch(/sign up/i);
      expect(formsIn(html).map((form) => [form.action, form.buttons]), path).toEqual([["/manage", ["Email me a link"]]]);
    }
    const oldLinkPage = formsIn(await (await worker(pathOf(unsubscribeLink), { headers: { accept: "text/html" } })).text());
    const { answer, page, url } = await submitAsBrowser({ ...oldLinkPage[0]!, fields: { ...oldLinkPage[0]!.fields, email } });
    expect(answer.status).toBe(303);
    expect(url).toBe("/manage/sent");
    expect(headingOf(await page.text())).toBe("Check your inbox");

    const [mail, ...more] = await manageMails(email);
    expect(more).toEqual([]);
    expectManageMail(mail!, email);
    const subscription = await worker(pathOf(linkIn(mail!.body.text, "/preferences")), { headers: { accept: "text/html" } });
    expect(headingOf(await subscription.text())).toBe("You're subscribed");
  });

  it("has a page of its own at /manage", async () => {
    const response = await worker("/manage", { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(formsIn(await response.text()).map((form) => form.buttons)).toEqual([["Email me a link"]]);
  });
});

describe("who gets the link", () => {
  it("every address on the list that is not suppressed, whatever its state", async () => {
    const pending = uniqueEmail("pending");
    const active = uniqueEmail("active");
    const left = uniqueEmail("left");
    await signUp(pending);
    await signUpAndConfirm(active);
    await oneClickUnsubscribe(await signUpAndConfirm(left));
    for (const email of [pending, active.toUpperCase(), left]) expect((await askForLink(email)).status).toBe(303);
    for (const email of [pending, active, left]) expect(await manageMails(email), email).toHaveLength(1);
  });

  it("nobody else: an unknown, a bounced or a complained address gets nothing", async () => {
    const unknown = uniqueEmail("unknown");
    const bounced = uniqueEmail("bounced");
    const complained = uniqueEmail("complained");
    for (const [email, status] of [
      [bounced, "bounced"],
      [complained, "complained"],
    ] as const) {
      await signUpAndConfirm(email);
      await env.DB.prepare("UPDATE subscribers SET status = ? WHERE email_key = ?").bind(status, email.toLowerCase()).run();
    }
    for (const email of [unknown, bounced, complained]) expect((await askForLink(email)).status).toBe(303);
    for (const email of [unknown, bounced, complained]) expect(await manageMails(email), email).toEqual([]);
  });

  it("at most once per 10 minutes, shared with 'you're already subscribed'", async () => {
    const email = uniqueEmail("often");
    await signUpAndConfirm(email);
    await subscribeJson(email);
    for (let i = 0; i < 3; i++) await askForLink(email);
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual([
      "Confirm your paperboy subscription",
      "Welcome to paperboy",
      "You're already subscribed to paperboy",
    ]);
    await env.DB.prepare("UPDATE mail_outbox SET created_at = created_at - 660000 WHERE subscriber_id = (SELECT id FROM subscribers WHERE email_key = ?)")
      .bind(email.toLowerCase())
      .run();
    await askForLink(email);
    expect(await manageMails(email)).toHaveLength(1);
  });
});

describe("the form", () => {
  it("answers a bad address with a 422 that keeps what was typed (a page) or names the field (JSON), and sends nothing", async () => {
    const page = await worker("/manage", { method: "POST", headers: BROWSER_FORM, body: "email=reader%40localhost" });
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toContain('value="reader@localhost"');
    expect(html).toContain('role="alert"');
    const json = await worker("/manage", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: 42 }) });
    await expectJsonError(json, 422, "invalid_email");
  });

  it("is rate-limited per client like sign-ups, and refuses posts from other sites", async () => {
    const client = { "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 200)}` };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 15 && !statuses.includes(429); attempt++) statuses.push((await askForLink(uniqueEmail("burst"), client)).status);
    expect(statuses.slice(0, 10).every((status) => status === 303)).toBe(true);
    expect(statuses.at(-1)).toBe(429);

    const crossSite = await askForLink(uniqueEmail(), { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
  });
});
