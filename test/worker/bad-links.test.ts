import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { signToken } from "../../src/subscribers/tokens";
import { expectJsonError } from "../support/worker/answers";
import { uniqueEmail } from "../support/worker/db";
import { formsIn } from "../support/worker/forms";
import { mockSends, resetMock } from "../support/worker/mock";
import { signUp, tokenOf, worker } from "../support/worker/requests";

const FORM = { "content-type": "application/x-www-form-urlencoded", accept: "text/html,application/xhtml+xml" };
/** The form every dead-end page offers: "enter your address and we'll email you a link". */
const MANAGE_BY_EMAIL = { method: "post", action: "/manage", fields: { email: "", website: "" }, buttons: ["Email me a link"] };

beforeEach(() => resetMock());

describe("bad links", () => {
  const SECRET = "test-signing-secret-0123456789abcdef";

  /** Tokens a visitor might arrive with, each made from a genuine one for a real subscriber. */
  async function badTokens(email: string) {
    const confirmLink = await signUp(email);
    const confirm = tokenOf(confirmLink);
    const [, id, version] = confirm.split(".");
    const unsubscribe = await signToken(SECRET, { purpose: "unsubscribe", subscriberId: Number(id), tokenVersion: Number(version), expiresAt: null });
    const forgedMac = (token: string) => {
      const i = token.length - 20; // inside the MAC
      return `${token.slice(0, i)}${token[i] === "A" ? "B" : "A"}${token.slice(i + 1)}`;
    };
    const otherSecret = (purpose: "confirm" | "unsubscribe") =>
      signToken("some-other-secret-0123456789abcdefgh", {
        purpose,
        subscriberId: Number(id),
        tokenVersion: Number(version),
        expiresAt: purpose === "confirm" ? Date.now() + 60_000 : null,
      });
    const expired = await signToken(SECRET, { purpose: "confirm", subscriberId: Number(id), tokenVersion: Number(version), expiresAt: Date.now() - 1000 });
    return { confirm, unsubscribe, forgedMac, otherSecret, expired };
  }

  type Problem = [name: string, token: string | null, code: string, message: string];

  /**
   * What each kind of link says when it does not work. A broken confirmation link points to the sign-up
   * form (a new sign-up sends a fresh one); a broken unsubscribe link offers a new link by email, never "sign up again".
   */
  const SAYS = {
    confirm: {
      incomplete: "This link is incomplete. Copy the whole link from the email into your browser.",
      forged: "This link is not valid. Copy the whole link from the email, or sign up again on the home page.",
      otherPurpose: "This link is meant for something else. Use the link from the right email.",
    },
    unsubscribe: {
      incomplete: "This link is incomplete. Copy the whole link from the email into your browser. We can email you a new link to your subscription.",
      forged: "This link is not valid. Copy the whole link from the email. We can email you a new link to your subscription.",
      otherPurpose: "This link is meant for something else. Use the link from the right email. We can email you a new link to your subscription.",
    },
  };

  async function problemsFor(purpose: "confirm" | "unsubscribe", email: string): Promise<Problem[]> {
    const t = await badTokens(email);
    const genuine = purpose === "confirm" ? t.confirm : t.unsubscribe;
    const other = purpose === "confirm" ? t.unsubscribe : t.confirm;
    const says = SAYS[purpose];
    const problems: Problem[] = [
      ["no token", null, "invalid_token", says.incomplete],
      ["an empty token", "", "invalid_token", says.incomplete],
      ["a truncated token", genuine.slice(0, -5), "invalid_token", says.incomplete],
      ["garbage", "<script>alert(1)</script>", "invalid_token", says.incomplete],
      ["a very long token", "x".repeat(8000), "invalid_token", says.incomplete],
      ["a forged MAC", t.forgedMac(genuine), "invalid_token", says.forged],
      ["another secret's token", await t.otherSecret(purpose), "invalid_token", says.forged],
      ["a token for the other purpose", other, "invalid_token", says.otherPurpose],
    ];
    if (purpose === "confirm")
      problems.push(["an expired token", t.expired, "expired_token", "This confirmation link has expired. Sign up again on the home page to get a fresh one."]);
    return problems;
  }

  it.each([
    ["GET", "/confirm?token=%E0%A4%A"],
    ["GET", "/unsubscribe?token=%"],
    ["POST", "/unsubscribe?token=%zz"],
  ])("answers %s %s (broken percent-encoding) with 400", async (method, path) => {
    const response = await worker(path, { method, headers: { accept: "application/json" }, body: method === "POST" ? "List-Unsubscribe=One-Click" : undefined });
    await expectJsonError(response, 400, "invalid_token");
  });

  const query = (token: string | null) => (token === null ? "" : `?token=${encodeURIComponent(token)}`);

  it("GET and POST /confirm answer every bad token with a 400 that says what to do, and confirm nobody", async () => {
    const email = uniqueEmail();
    for (const [name, token, code, message] of await problemsFor("confirm", email)) {
      const page = await worker(`/confirm${query(token)}`, { headers: { accept: "text/html" } });
      expect(page.status, `GET with ${name}`).toBe(400);
      expect(await page.text(), `GET with ${name}`).toContain(message.replace(/'/g, "&#39;"));

      const post = await worker("/confirm", {
        method: "POST",
        headers: { ...FORM, accept: "application/json" },
        body: token === null ? "" : new URLSearchParams({ token }).toString(),
      });
      expect(post.status, `POST with ${name}`).toBe(400);
      expect(await post.json(), `POST with ${name}`).toEqual({ error: { code, message } });
    }
    const row = await env.DB.prepare("SELECT status FROM subscribers WHERE email_key = ?").bind(email.toLowerCase()).first();
    expect(row).toEqual({ status: "pending" });
    expect((await mockSends()).filter((send) => send.body.subject === "Welcome to paperboy")).toEqual([]);
  });

  it("GET and POST /unsubscribe and POST /resubscribe answer every bad token with a 400, and change nobody", async () => {
    const email = uniqueEmail();
    const problems = await problemsFor("unsubscribe", email);
    await env.DB.prepare("UPDATE subscribers SET status = 'active' WHERE email_key = ?").bind(email.toLowerCase()).run();
    const snapshot = () => env.DB.prepare("SELECT id, status, token_version, updated_at FROM subscribers ORDER BY id").all();
    const before = await snapshot();

    for (const [name, token, code, message] of problems) {
      const page = await worker(`/unsubscribe${query(token)}`, { headers: { accept: "text/html" } });
      expect(page.status, `GET with ${name}`).toBe(400);
      // Nothing on the page acts on the link; it offers a new one by email instead.
      expect(formsIn(await page.text()), `GET with ${name}`).toEqual([MANAGE_BY_EMAIL]);

      const oneClick = await worker(`/unsubscribe${query(token)}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(oneClick.status, `one-click with ${name}`).toBe(400);
      expect(await oneClick.json(), `one-click with ${name}`).toEqual({ error: { code, message } });

      const resubscribe = await worker(`/resubscribe${query(token)}`, { method: "POST", headers: { accept: "text/html" } });
      expect(resubscribe.status, `resubscribe with ${name}`).toBe(400);
    }
    expect((await snapshot()).results).toEqual(before.results);
  });
});
