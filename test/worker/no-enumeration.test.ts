import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { uniqueEmail } from "../support/worker/db";
import { BROWSER_FORM } from "../support/worker/forms";
import { resetMock } from "../support/worker/mock";
import { admin, pathOf, signUp, signUpAndConfirm, subscribeForm, subscribeJson, worker } from "../support/worker/requests";

beforeEach(() => resetMock());

/** One address in each state a sign-up can meet, an erased one included. */
async function addressesInEveryState(): Promise<Record<string, string>> {
  const fresh = uniqueEmail("new");
  const pending = uniqueEmail("pending");
  const active = uniqueEmail("active");
  const unsubscribed = uniqueEmail("unsubscribed");
  const bounced = uniqueEmail("bounced");
  await signUp(pending);
  await signUpAndConfirm(active);
  const link = await signUpAndConfirm(unsubscribed);
  await worker(pathOf(link), { method: "POST", body: "List-Unsubscribe=One-Click" });
  await signUp(bounced);
  await env.DB.prepare("UPDATE subscribers SET status = 'bounced' WHERE email_key = ?").bind(bounced.toLowerCase()).run();
  const erased = uniqueEmail("erased");
  await signUp(erased);
  await admin(`/admin/subscribers/${encodeURIComponent(erased)}`, { method: "DELETE" });
  return { fresh, pending, active, unsubscribed, bounced, erased };
}

/** What a visitor can observe of a response, less what differs on every request anyway. */
async function observable(response: Response) {
  const headers = [...response.headers].filter(([name]) => name !== "date" && name !== "x-request-id");
  return { status: response.status, headers, body: await response.text() };
}

describe("the sign-up answer does not reveal who subscribes", () => {
  it("is identical over the JSON API for new, pending, active, unsubscribed, bounced and erased addresses", async () => {
    const addresses = await addressesInEveryState();
    const answers = [];
    for (const email of Object.values(addresses)) answers.push(await observable(await subscribeJson(email)));

    expect(answers[0]).toEqual({ status: 202, headers: expect.any(Array), body: '{"status":"pending"}' });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it("is identical as a page for new, pending, active, unsubscribed, bounced and erased addresses", async () => {
    const addresses = await addressesInEveryState();
    const answers = [];
    for (const email of Object.values(addresses)) answers.push(await observable(await subscribeForm(email)));

    expect(answers[0]!.status).toBe(200);
    expect(answers[0]!.body).toContain("Check your inbox");
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it("is identical as a browser's redirect (Post/Redirect/Get) for every state", async () => {
    const addresses = await addressesInEveryState();
    const answers = [];
    for (const email of Object.values(addresses))
      answers.push(await observable(await worker("/subscribe", { method: "POST", headers: BROWSER_FORM, body: new URLSearchParams({ email }).toString(), redirect: "manual" })));

    expect(answers[0]!.status).toBe(303);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});

describe("'manage by email' does not reveal who subscribes either", () => {
  it("answers the JSON API, a form and a browser alike for every state, and for an address nobody knows", async () => {
    const addresses = await addressesInEveryState();
    const ask = (email: string, init: { headers: Record<string, string>; body: string }) => worker("/manage", { method: "POST", redirect: "manual", ...init });
    for (const [kind, init] of [
      ["json", (email: string) => ({ headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ email }) })],
      ["form", (email: string) => ({ headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" }, body: new URLSearchParams({ email }).toString() })],
      ["browser", (email: string) => ({ headers: BROWSER_FORM, body: new URLSearchParams({ email }).toString() })],
    ] as const) {
      const answers = [];
      for (const email of Object.values(addresses)) answers.push(await observable(await ask(email, init(email))));
      expect(answers[0]!.status, kind).toBe(kind === "json" ? 202 : kind === "form" ? 200 : 303);
      for (const answer of answers) expect(answer, kind).toEqual(answers[0]);
    }
  });
});
