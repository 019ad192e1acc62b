import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { uniqueEmail } from "../support/worker/db";
import { resetMock } from "../support/worker/mock";
import { pathOf, signUp, signUpAndConfirm, subscribeForm, subscribeJson, worker } from "../support/worker/requests";

beforeEach(() => resetMock());

/** One address in each state a sign-up can meet. */
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
  return { fresh, pending, active, unsubscribed, bounced };
}

/** What a visitor can observe of a response, less what differs on every request anyway. */
async function observable(response: Response) {
  const headers = [...response.headers].filter(([name]) => name !== "date" && name !== "x-request-id");
  return { status: response.status, headers, body: await response.text() };
}

describe("the sign-up answer does not reveal who subscribes", () => {
  it("is identical over the JSON API for new, pending, active, unsubscribed and bounced addresses", async () => {
    const addresses = await addressesInEveryState();
    const answers = [];
    for (const email of Object.values(addresses)) answers.push(await observable(await subscribeJson(email)));

    expect(answers[0]).toEqual({ status: 202, headers: expect.any(Array), body: '{"status":"pending"}' });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it("is identical as a page for new, pending, active, unsubscribed and bounced addresses", async () => {
    const addresses = await addressesInEveryState();
    const answers = [];
    for (const email of Object.values(addresses)) answers.push(await observable(await subscribeForm(email)));

    expect(answers[0]!.status).toBe(200);
    expect(answers[0]!.body).toContain("Check your inbox");
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});
