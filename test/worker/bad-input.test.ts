import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { expectJsonError, expectPage } from "../support/worker/answers";
import { countSubscribers, uniqueEmail } from "../support/worker/db";
import { mockSends, resetMock } from "../support/worker/mock";
import { formsIn } from "../support/worker/forms";
import { signUp, signUpAndConfirm, tokenOf, worker } from "../support/worker/requests";

const JSON_API = { "content-type": "application/json", accept: "application/json" };
const FORM = { "content-type": "application/x-www-form-urlencoded", accept: "text/html,application/xhtml+xml" };
const OVER_16_KB = 16 * 1024 + 1;

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
      expect(formsIn(html)).toEqual([{ method: "post", action: "/subscribe", fields: { email, cadence: "daily", website: "" }, buttons: ["Subscribe"] }]);
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
    // GET /subscribe is the page a sign-up leads to (Post/Redirect/Get), so a reload never meets a 405.
    ["PUT", "/subscribe", "GET, POST, HEAD"],
    ["DELETE", "/manage", "GET, POST, HEAD"],
    ["DELETE", "/", "GET, HEAD"],
    ["POST", "/", "GET, HEAD"],
    ["PUT", "/preferences", "GET, POST, HEAD"],
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
