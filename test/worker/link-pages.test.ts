/**
 * The pages links open know where the reader stands: which address (masked), in which state, with
 * the buttons that fit. GET changes nothing; a browser's form post is answered with 303 See Other
 * to a page it can reload (Post/Redirect/Get).
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { preferencesUrl } from "../../src/subscribers/links";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { BROWSER_FORM, formsIn, headingOf, type HtmlForm, submitAsBrowser } from "../support/worker/forms";
import { mockSends, resetMock } from "../support/worker/mock";
import { oneClickUnsubscribe, pathOf, signUp, signUpAndConfirm, subscribeForm, worker } from "../support/worker/requests";
import { testConfig } from "../support/worker/services";

beforeEach(() => resetMock());

const masked = (email: string) => `${email.slice(0, 2)}•••@example.com`;

async function open(path: string): Promise<{ status: number; heading: string | undefined; text: string; forms: HtmlForm[] }> {
  const response = await worker(path, { headers: { accept: "text/html" } });
  const html = await response.text();
  return { status: response.status, heading: headingOf(html), text: html.replace(/<[^>]+>/g, ""), forms: formsIn(html) };
}

const buttons = (forms: HtmlForm[]) => forms.map((form) => form.buttons[0]);

describe("the confirmation link", () => {
  it("says which address it confirms, confirms through a redirect, and says 'already confirmed' when opened again", async () => {
    const email = uniqueEmail("confirm");
    const link = pathOf(await signUp(email));
    const before = await open(link);
    expect(before).toMatchObject({ status: 200, heading: "Confirm your subscription" });
    expect(before.text).toContain(masked(email));
    expect(before.text).not.toContain(email);
    expect(buttons(before.forms)).toEqual(["Confirm my subscription"]);
    expect((await subscriberRow(email))!.status).toBe("pending");

    const { answer, page, url } = await submitAsBrowser(before.forms[0]!);
    expect(answer.status).toBe(303);
    expect(url).toBe(`${link}&done=confirmed`);
    expect(headingOf(await page.text())).toBe("You're subscribed");
    expect((await subscriberRow(email))!.status).toBe("active");

    // Reload, history, and the mail's link opened later: a page, never a 405, and nothing happens twice.
    const reloaded = await open(url);
    expect(reloaded).toMatchObject({ status: 200, heading: "You're subscribed" });
    const later = await open(link);
    expect(later).toMatchObject({ status: 200, heading: "You're subscribed", forms: [] });
    expect(later.text).toContain(`${masked(email)} is already confirmed`);
    expect((await mockSends()).map((send) => send.body.subject)).toEqual(["Confirm your paperboy subscription", "Welcome to paperboy"]);
  });

  it("says so when the address unsubscribed after the link was sent, and offers nothing that would act on it", async () => {
    const email = uniqueEmail("confirm-left");
    const link = pathOf(await signUp(email));
    await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE email_key = ?").bind(email.toLowerCase()).run();
    const page = await open(link);
    expect(page).toMatchObject({ status: 200, heading: "You're unsubscribed", forms: [] });
    expect(page.text).toContain(`${masked(email)} unsubscribed after this link was sent`);
  });
});

describe("the unsubscribe link", () => {
  it("asks, unsubscribes through a redirect, and says 'already unsubscribed' when opened again", async () => {
    const email = uniqueEmail("leave");
    const link = pathOf(await signUpAndConfirm(email));
    const before = await open(link);
    expect(before).toMatchObject({ status: 200, heading: "Unsubscribe from paperboy?" });
    expect(before.text).toContain(`${masked(email)} will stop receiving`);
    // Weekly instead is offered after the unsubscribe button, never before it.
    expect(buttons(before.forms)).toEqual(["Unsubscribe", "Switch to weekly instead", "Delete my data"]);

    const { answer, page, url } = await submitAsBrowser(before.forms[0]!);
    expect(answer.status).toBe(303);
    expect(url).toBe(`${link}&done=unsubscribed`);
    const after = await page.text();
    expect(headingOf(after)).toBe("You're unsubscribed");
    expect(buttons(formsIn(after))).toEqual(["Subscribe again", "Delete my data"]);

    const later = await open(link);
    expect(later).toMatchObject({ status: 200, heading: "You're unsubscribed" });
    expect(later.text).toContain(`${masked(email)} is already unsubscribed`);

    const back = await submitAsBrowser(later.forms[0]!);
    expect(back.answer.status).toBe(303);
    expect(headingOf(await back.page.text())).toBe("Welcome back");
    expect((await subscriberRow(email))!.status).toBe("active");
  });

  it("still answers a mail provider's one-click POST with the page itself: no redirect, no cookie", async () => {
    const email = uniqueEmail("one-click");
    const response = await oneClickUnsubscribe(await signUpAndConfirm(email));
    expect(response.status).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    expect(headingOf(await response.text())).toBe("You're unsubscribed");
  });
});

describe("the subscription's own page (/preferences)", () => {
  async function preferencesFor(email: string, status: string): Promise<string> {
    await signUpAndConfirm(email);
    await env.DB.prepare("UPDATE subscribers SET status = ? WHERE email_key = ?").bind(status, email.toLowerCase()).run();
    const row = (await subscriberRow(email))!;
    return pathOf(await preferencesUrl(testConfig(), { id: row.id, tokenVersion: row.token_version }));
  }

  it.each([
    ["active", "You're subscribed", ["Save my choices", "Unsubscribe", "Delete my data"]],
    ["pending", "Confirm your subscription", ["Save my choices", "Confirm my subscription", "Delete my data"]],
    ["unsubscribed", "You're unsubscribed", ["Save my choices", "Subscribe again", "Delete my data"]],
    ["bounced", "We don't send to this address", ["Delete my data"]],
    ["complained", "We don't send to this address", ["Delete my data"]],
  ])("shows a %s subscription as '%s' with the buttons that fit, and changes nothing when opened", async (status, heading, expected) => {
    const email = uniqueEmail(status);
    const link = await preferencesFor(email, status);
    const before = await subscriberRow(email);
    const page = await open(link);
    expect(page).toMatchObject({ status: 200, heading });
    expect(page.text).toContain(masked(email));
    expect(buttons(page.forms)).toEqual(expected);
    expect(await subscriberRow(email)).toEqual(before);
  });

  it("acts through its buttons and comes back to itself after each", async () => {
    const email = uniqueEmail("prefs");
    const link = await preferencesFor(email, "active");
    const pressing = async (button: string) => submitAsBrowser((await open(link)).forms.find((form) => form.buttons.includes(button))!);
    const left = await pressing("Unsubscribe");
    expect(left.url).toBe(`${link}&done=unsubscribed`);
    expect(headingOf(await left.page.text())).toBe("You're unsubscribed");
    const back = await pressing("Subscribe again");
    expect(back.url).toBe(`${link}&done=resubscribed`);
    expect(headingOf(await back.page.text())).toBe("Welcome back");
    expect((await subscriberRow(email))!.status).toBe("active");
  });
});

describe("Post/Redirect/Get", () => {
  it("sends a browser's sign-up to a page it can reload, the same for every address; GET /subscribe is that page, not a 405", async () => {
    const answers = [];
    for (const email of [uniqueEmail("new"), uniqueEmail("NEW")]) {
      const response = await worker("/subscribe", { method: "POST", headers: BROWSER_FORM, body: new URLSearchParams({ email }).toString(), redirect: "manual" });
      answers.push([response.status, response.headers.get("location"), await response.text()]);
    }
    expect(answers[0]).toEqual([303, "/subscribe", ""]);
    expect(answers[1]).toEqual(answers[0]);
    const page = await open("/subscribe");
    expect(page).toMatchObject({ status: 200, heading: "Check your inbox" });
    // Clients that are not browsers (curl, scripts) still get the page straight away.
    expect(headingOf(await (await subscribeForm(uniqueEmail())).text())).toBe("Check your inbox");
  });
});
