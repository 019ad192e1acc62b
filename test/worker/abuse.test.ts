import { env } from "cloudflare:workers";
import { inject, beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/entry/fetch";
import { parseBlocklist } from "../../src/abuse/blocklist";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { headingOf } from "../support/worker/forms";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { ORIGIN, worker } from "../support/worker/requests";

const TURNSTILE_ENV = {
  TURNSTILE_SITE_KEY: "1x00000000000000000000AA",
  TURNSTILE_SECRET_KEY: "1x0000000000000000000000000000000AA",
  TURNSTILE_VERIFY_URL: `${inject("mockUpstreamUrl")}/turnstile/v0/siteverify`,
};
const DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

/** The Worker with some settings changed: a new env object is a new, separately validated configuration. */
function workerWith(overrides: Record<string, string>, path: string, init?: RequestInit) {
  return app.request(`${ORIGIN}${path}`, init, { ...env, ...overrides });
}

function formPost(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

beforeEach(() => resetMock());

describe("the honeypot", () => {
  it("shows a bot the usual answer, and stores and sends nothing", async () => {
    const email = uniqueEmail("bot");
    const response = await worker("/subscribe", formPost({ email, website: "http://spam.example" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Check your inbox");
    expect(await subscriberRow(email)).toBeNull();
    expect(await acceptedSendsTo(email)).toHaveLength(0);
  });

  it("is on the form, hidden from people", async () => {
    const html = await (await worker("/")).text();
    expect(html).toMatch(/<div class="trap" aria-hidden="true">[\s\S]*name="website"[\s\S]*tabindex="-1"/);
  });

  it("does not get in the way of a person, who leaves it empty", async () => {
    const email = uniqueEmail();
    const response = await worker("/subscribe", formPost({ email, website: "" }));
    expect(response.status).toBe(200);
    expect((await subscriberRow(email))?.status).toBe("pending");
  });
});

describe("the domain blocklist", () => {
  it("matches exact domains and *. subdomains, not the parent", () => {
    const blocked = parseBlocklist(" spam.example , *.disposable.example ,");
    expect(blocked("spam.example")).toBe(true);
    expect(blocked("SPAM.example")).toBe(true);
    expect(blocked("mx.disposable.example")).toBe(true);
    expect(blocked("disposable.example")).toBe(false);
    expect(blocked("notspam.example")).toBe(false);
  });

  it("refuses a blocklisted address with a clear message, as a page and as JSON", async () => {
    const settings = { DOMAIN_BLOCKLIST: "*.disposable.example" };
    const page = await workerWith(settings, "/subscribe", formPost({ email: "x@mail.disposable.example" }));
    expect(page.status).toBe(422);
    expect(await page.text()).toContain("addresses at mail.disposable.example");
    const api = await workerWith(settings, "/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "x@mail.disposable.example" }),
    });
    expect(api.status).toBe(422);
    expect(await api.json()).toMatchObject({ error: { code: "blocked_domain" } });
    expect(await subscriberRow("x@mail.disposable.example")).toBeNull();
  });
});

describe("Turnstile", () => {
  it("puts the widget and its script, allowed by nonce, on the form", async () => {
    const response = await workerWith(TURNSTILE_ENV, "/");
    const html = await response.text();
    const nonce = /<script src="https:\/\/challenges\.cloudflare\.com\/turnstile\/v0\/api\.js"[^>]*nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`data-sitekey="${TURNSTILE_ENV.TURNSTILE_SITE_KEY}"`);
    expect(response.headers.get("content-security-policy")).toContain(`script-src 'nonce-${nonce}' https://challenges.cloudflare.com`);
  });

  it("lets a sign-up with a valid token through, on the form and the API", async () => {
    const email = uniqueEmail();
    const page = await workerWith(TURNSTILE_ENV, "/subscribe", formPost({ email, "cf-turnstile-response": DUMMY_TOKEN }));
    expect(page.status).toBe(200);
    const api = await workerWith(TURNSTILE_ENV, "/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail(), turnstileToken: DUMMY_TOKEN }),
    });
    expect(api.status).toBe(202);
    expect((await subscriberRow(email))?.status).toBe("pending");
  });

  it.each([
    ["a missing token", TURNSTILE_ENV, undefined],
    ["a failing token", { ...TURNSTILE_ENV, TURNSTILE_SECRET_KEY: "2x0000000000000000000000000000000AA" }, DUMMY_TOKEN],
    ["a spent token", { ...TURNSTILE_ENV, TURNSTILE_SECRET_KEY: "3x0000000000000000000000000000000AA" }, DUMMY_TOKEN],
    ["an expired token", TURNSTILE_ENV, "expired-token"],
  ])("refuses %s and stores nothing", async (_, settings, token) => {
    const email = uniqueEmail();
    const response = await workerWith(settings, "/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, ...(token ? { turnstileToken: token } : {}) }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "challenge_failed" } });
    expect(await subscriberRow(email)).toBeNull();
  });

  it("fails closed with a 503 when the verifier cannot be reached", async () => {
    const email = uniqueEmail();
    const settings = { ...TURNSTILE_ENV, TURNSTILE_VERIFY_URL: `${inject("mockUpstreamUrl")}/no-such-endpoint` };
    const response = await workerWith(settings, "/subscribe", formPost({ email, "cf-turnstile-response": DUMMY_TOKEN }));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("try again");
    expect(await subscriberRow(email)).toBeNull();
  });
});

describe("rate limits", () => {
  it("answer 429 with Retry-After and a readable page once one client signs up too often", async () => {
    const client = { "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 200)}` };
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let attempt = 0; attempt < 15 && !limited; attempt++) {
      const response = await worker("/subscribe", formPost({ email: uniqueEmail("burst") }, client));
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(limited?.headers.get("retry-after")).toBe("60");
    expect(await limited?.text()).toContain("Please wait a minute");
  });

  it("keep a stranger from flooding one inbox: twenty sign-ups of one address from twenty networks send one mail, answered alike", async () => {
    const email = uniqueEmail("victim");
    const answers = new Set<string>();
    for (let n = 1; n <= 20; n++) {
      const response = await worker("/subscribe", formPost({ email }, { "cf-connecting-ip": `203.0.113.${n}` }));
      answers.add(`${response.status} ${headingOf(await response.text())}`);
    }
    expect([...answers]).toEqual(["200 Check your inbox"]);
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual(["Confirm your paperboy subscription"]);
  });
});
