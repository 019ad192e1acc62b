import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const ORIGIN = "https://paperboy.test";

async function countSubscribers(email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers WHERE email_key = ?").bind(email).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("security headers", () => {
  it.each(["/", "/no-such-page", "/healthz"])("are on %s", async (path) => {
    const response = await exports.default.fetch(`${ORIGIN}${path}`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-request-id")).toMatch(/.+/);
  });

  it("are on error answers to the JSON API too", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("cross-site form posts", () => {
  const form = (email: string) => new URLSearchParams({ email }).toString();

  it("refuses a sign-up form sent from another site and stores nothing", async () => {
    const email = `victim-${crypto.randomUUID()}@example.com`;
    const response = await exports.default.fetch(`${ORIGIN}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      body: form(email),
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("another website");
    expect(await countSubscribers(email)).toBe(0);
  });

  it("refuses a cross-origin form by its Origin header when Sec-Fetch-Site is absent", async () => {
    const email = `victim-${crypto.randomUUID()}@example.com`;
    const response = await exports.default.fetch(`${ORIGIN}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: form(email),
    });
    expect(response.status).toBe(403);
    expect(await countSubscribers(email)).toBe(0);
  });

  it("accepts the form from our own page", async () => {
    const email = `reader-${crypto.randomUUID()}@example.com`;
    const response = await exports.default.fetch(`${ORIGIN}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin", origin: ORIGIN },
      body: form(email),
    });
    expect(response.status).toBe(200);
    expect(await countSubscribers(email)).toBe(1);
  });

  it("lets the RFC 8058 one-click POST through from a mail provider's server", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/unsubscribe?token=u.1.1.0.${"A".repeat(43)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site", origin: "https://mail.example" },
      body: "List-Unsubscribe=One-Click",
    });
    // Not refused as cross-site: the (forged) token itself is what gets rejected.
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain("another website");
  });
});
