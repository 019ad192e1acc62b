import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { signToken } from "../../src/subscribers/tokens";
import { countSubscribers, uniqueEmail } from "../support/worker/db";
import { formsIn, headingOf } from "../support/worker/forms";
import { mockSends, resetMock } from "../support/worker/mock";
import { signUp, signUpAndConfirm, tokenOf, worker } from "../support/worker/requests";

const JSON_API = { "content-type": "application/json", accept: "application/json" };
const FORM = { "content-type": "application/x-www-form-urlencoded", accept: "text/html,application/xhtml+xml" };
const OVER_16_KB = 16 * 1024 + 1;

async function expectJsonError(response: Response, status: number, code: string, message?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body).toEqual({ error: { code, message: message ?? expect.stringMatching(/\w+ \w+/) } });
}

async function expectPage(response: Response, status: number, heading: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await response.text();
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(headingOf(html)).toBe(heading);
  return html;
}

/** Runs `act` and checks that it wrote no subscriber and sent no mail. */
async function expectNothingWritten(act: () => Promise<void>) {
  const before = await countSubscribers();
  await act();
  expect(await countSubscribers()).toBe(before);
  expect(await mockSends()).toEqual([]);
}

beforeEach(() => resetMock());

describe("POST /subscribe with a bad address", () => {
  it.each([
    ["an empty address", { email: "" }, "Enter your email address."],
    ["no email field", {}, "Enter your email address."],
    ["a number", { email: 42 }, "Enter your email address."],
    ["a list", { email: ["a@example.com"] }, "Enter your email address."],
    ["no @", { email: "reader.example.com" }, "Enter an address like name@example.com."],
    ["a display name", { email: '"Reader"<reader@example.com>' }, "Enter just the address, like name@example.com."],
    ["a header injection", { email: "reader@example.com\r\nBcc: x@example.com" }, "An email address cannot contain spaces or line breaks."],
    ["a 65-character local part", { email: `${"a".repeat(65)}@example.com` }, "The part before @ can be at most 64 characters."],
    ["an IP literal", { email: "reader@[127.0.0.1]" }, "Enter just the address, like name@example.com."],
    ["a trailing dot", { email: "reader@example.com." }, "The part after @ is not a valid domain."],
  ])("answers the JSON API 422 for %s", async (_name, body, message) => {
    await expectNothingWritten(async () => {
      const response = await worker("/subscribe", { method: "POST", headers: JSON_API, body: JSON.stringify(body) });
      await expectJsonError(response, 422, "invalid_email", message);
    });
  });

  it.each([
    ["an empty address", "", "Enter your email address."],
    ["spaces", "read er@example.com", "An email address cannot contain spaces or line breaks."],
    ["a path after the domain", "reader@example.com/x", "The part after @ is not a valid domain."],
  ])("shows the form again with 422 and the reason for %s", async (_name, email, message) => {
    await expectNothingWritten(async () => {
      const response = await worker("/subscribe", { method: "POST", headers: FORM, body: new URLSearchParams({ email }).toString() });
      const html = await expectPage(response, 422, "The day's trending AI papers, in your inbox");
      expect(html).toContain(message);
      expect(html).toContain('aria-invalid="true"');
      expect(formsIn(html)).toEqual([{ method: "post", action: "/subscribe", fields: { email, website: "" }, buttons: ["Subscribe"] }]);
    });
  });

  it("escapes what the visitor typed when it shows the form again", async () => {
    const typed = '"><script>alert(1)</script>';
    const response = await worker("/subscribe", { method: "POST", headers: FORM, body: new URLSearchParams({ email: typed }).toString() });
    const html = await expectPage(response, 422, "The day's trending AI papers, in your inbox");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(formsIn(html)[0]!.fields.email).toBe(typed);
  });
});

describe("POST /subscribe with a body that cannot be read", () => {
  it.each([
    ["invalid JSON", "{email:", "The request body is not valid JSON."],
    ["an empty body", "", "The request body is not valid JSON."],
    ["a JSON array", '["reader@example.com"]', "The request body must be a JSON object."],
    ["a JSON string", '"reader@example.com"', "The request body must be a JSON object."],
    ["JSON null", "null", "The request body must be a JSON object."],
  ])("answers 400 for %s", async (_name, body, message) => {
    await expectNothingWritten(async () => {
      await expectJsonError(await worker("/subscribe", { method: "POST", headers: JSON_API, body }), 400, "invalid_json", message);
    });
  });

  it("answers JSON that is not UTF-8 with 400", async () => {
    await expectNothingWritten(async () => {
      const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
      await expectJsonError(await worker("/subscribe", { method: "POST", headers: JSON_API, body }), 400, "invalid_json");
    });
  });

  it("answers a broken multipart form with a 400 page", async () => {
    await expectNothingWritten(async () => {
      const response = await worker("/subscribe", {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=xyz", accept: "text/html" },
        body: "--xyz\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nreader@example.com",
      });
      const html = await expectPage(response, 400, "That didn't work");
      expect(html).toContain("The form data could not be read.");
    });
  });
});

describe("oversized bodies", () => {
  const bigJson = JSON.stringify({ email: uniqueEmail(), padding: "x".repeat(OVER_16_KB) });

  it("refuses a JSON body over 16 KB with 413 before reading it", async () => {
    await expectNothingWritten(async () => {
      const response = await worker("/subscribe", { method: "POST", headers: JSON_API, body: bigJson });
      await expectJsonError(response, 413, "payload_too_large", "The request body is larger than 16 KB.");
    });
  });

  it("refuses a form over 16 KB with a 413 page", async () => {
    await expectNothingWritten(async () => {
      const body = new URLSearchParams({ email: uniqueEmail(), padding: "x".repeat(OVER_16_KB) }).toString();
      const html = await expectPage(await worker("/subscribe", { method: "POST", headers: FORM, body }), 413, "Too much data");
      expect(html).toContain("The request body is larger than 16 KB.");
    });
  });

  it("refuses a streamed body without Content-Length once it passes 16 KB", async () => {
    await expectNothingWritten(async () => {
      const chunk = new TextEncoder().encode("x".repeat(4096));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 5) return controller.close();
          sent += 1;
          controller.enqueue(chunk);
        },
      });
      const response = await worker("/subscribe", { method: "POST", headers: JSON_API, body: stream });
      await expectJsonError(response, 413, "payload_too_large");
    });
  });

  it("accepts a body of exactly 16 KB", async () => {
    const email = uniqueEmail();
    const base = JSON.stringify({ email, padding: "" });
    const body = JSON.stringify({ email, padding: "x".repeat(16 * 1024 - base.length) });
    expect(new TextEncoder().encode(body).length).toBe(16 * 1024);
    const response = await worker("/subscribe", { method: "POST", headers: JSON_API, body });
    expect(response.status).toBe(202);
  });

  it("refuses an oversized one-click unsubscribe and leaves the subscriber active", async () => {
    const email = uniqueEmail();
    const link = await signUpAndConfirm(email);
    const response = await worker(`/unsubscribe?token=${tokenOf(link)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `List-Unsubscribe=One-Click&padding=${"x".repeat(OVER_16_KB)}`,
    });
    expect(response.status).toBe(413);
    const row = await env.DB.prepare("SELECT status FROM subscribers WHERE email_key = ?").bind(email.toLowerCase()).first();
    expect(row).toEqual({ status: "active" });
  });
});

describe("unsupported content types", () => {
  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["XML", { "content-type": "application/xml" }],
    ["no content type", {}],
  ])("answers %s with a 415 page for browsers", async (_name, headers) => {
    await expectNothingWritten(async () => {
      const response = await worker("/subscribe", { method: "POST", headers: { accept: "text/html", ...headers }, body: "email=reader@example.com" });
      const html = await expectPage(response, 415, "Unsupported format");
      expect(html).toContain("Send the request as application/json or application/x-www-form-urlencoded.");
    });
  });

  it("answers 415 as JSON to an API client", async () => {
    await expectNothingWritten(async () => {
      const response = await worker("/subscribe", {
        method: "POST",
        headers: { "content-type": "text/plain", accept: "application/json" },
        body: JSON.stringify({ email: uniqueEmail() }),
      });
      await expectJsonError(response, 415, "unsupported_media_type");
    });
  });

  it("accepts JSON whatever the case of its content type and charset", async () => {
    const response = await worker("/subscribe", {
      method: "POST",
      headers: { "content-type": "Application/JSON; charset=UTF-8" },
      body: JSON.stringify({ email: uniqueEmail() }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "pending" });
  });

  it("takes the confirmation button's form only as a form", async () => {
    const link = await signUp(uniqueEmail());
    const response = await worker("/confirm", { method: "POST", headers: JSON_API, body: JSON.stringify({ token: tokenOf(link) }) });
    await expectJsonError(response, 415, "unsupported_media_type", "Send the request as application/x-www-form-urlencoded.");
  });
});

describe("unknown routes and wrong methods", () => {
  it.each(["/nope", "/subscribe/", "/confirm/extra", "/unsubscribe/x", "/dev/outbox"])("answers GET %s with a 404 page", async (path) => {
    const html = await expectPage(await worker(path, { headers: { accept: "text/html" } }), 404, "Page not found");
    expect(html).toContain("There is no page at this address.");
  });

  it("answers an unknown route with a JSON 404 for API clients", async () => {
    await expectJsonError(await worker("/api/v2/subscribe", { headers: { accept: "application/json" } }), 404, "not_found");
  });

  it.each([
    ["GET", "/subscribe", "POST"],
    ["PUT", "/subscribe", "POST"],
    ["DELETE", "/", "GET, HEAD"],
    ["POST", "/", "GET, HEAD"],
    ["PUT", "/confirm", "GET, POST, HEAD"],
    ["DELETE", "/unsubscribe", "GET, POST, HEAD"],
    ["GET", "/resubscribe", "POST"],
  ])("answers %s %s with 405 and Allow: %s", async (method, path, allow) => {
    await expectNothingWritten(async () => {
      const page = await worker(path, { method, headers: { accept: "text/html" } });
      expect(page.headers.get("allow")).toBe(allow);
      const html = await expectPage(page, 405, "Not allowed here");
      expect(html).toContain(`This address accepts ${allow} only.`);

      const api = await worker(path, { method, headers: { accept: "application/json" } });
      expect(api.headers.get("allow")).toBe(allow);
      await expectJsonError(api, 405, "method_not_allowed", `This address accepts ${allow} only.`);
    });
  });

  it("answers HEAD on a page like GET, without a body", async () => {
    const response = await worker("/", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });
});

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

  async function problemsFor(purpose: "confirm" | "unsubscribe", email: string): Promise<Problem[]> {
    const t = await badTokens(email);
    const genuine = purpose === "confirm" ? t.confirm : t.unsubscribe;
    const other = purpose === "confirm" ? t.unsubscribe : t.confirm;
    const problems: Problem[] = [
      ["no token", null, "invalid_token", "This link is incomplete. Copy the whole link from the email into your browser."],
      ["an empty token", "", "invalid_token", "This link is incomplete. Copy the whole link from the email into your browser."],
      ["a truncated token", genuine.slice(0, -5), "invalid_token", "This link is incomplete. Copy the whole link from the email into your browser."],
      ["garbage", "<script>alert(1)</script>", "invalid_token", "This link is incomplete. Copy the whole link from the email into your browser."],
      ["a very long token", "x".repeat(8000), "invalid_token", "This link is incomplete. Copy the whole link from the email into your browser."],
      ["a forged MAC", t.forgedMac(genuine), "invalid_token", "This link is not valid. Copy the whole link from the email, or sign up again on the home page."],
      ["another secret's token", await t.otherSecret(purpose), "invalid_token", "This link is not valid. Copy the whole link from the email, or sign up again on the home page."],
      ["a token for the other purpose", other, "invalid_token", "This link is meant for something else. Use the link from the right email."],
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
      expect(formsIn(await page.text()), `GET with ${name}`).toEqual([]);

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
