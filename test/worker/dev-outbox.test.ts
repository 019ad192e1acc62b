import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { createOutboxMailer, type OutboxMessage } from "../../src/delivery/outbox-mailer";
import { app } from "../../src/entry/fetch";
import { uniqueEmail } from "../support/worker/db";
import { formsIn, headingOf } from "../support/worker/forms";
import { mockSends, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { linkIn, tokenOf } from "../support/worker/requests";
import { testQueue, testServices } from "../support/worker/services";

/**
 * Outbox mode: no RESEND_API_KEY. Each env has its own queue, delivered by the test with that env's
 * services (the Worker's own consumer runs with the Resend test settings). Reused so the config is
 * read once, like a real isolate's env.
 */
const outboxEnv = { ...env, RESEND_API_KEY: "", DIGEST_QUEUE: testQueue() };
const devEnv = { ...env, RESEND_API_KEY: "", ENVIRONMENT: "development", DIGEST_QUEUE: testQueue() };
const ADMIN = { authorization: "Bearer test-admin-token" };

/** A request in `target`'s env, and then its queue delivered as that Worker's consumer would. */
async function request(path: string, init: RequestInit, target: typeof devEnv | typeof outboxEnv): Promise<Response> {
  const response = await app.request(path, init, target);
  const result = parseConfig(target);
  if (!result.ok) throw new Error(result.problems.join("; "));
  await drainQueue(testServices({ config: result.config, queue: target.DIGEST_QUEUE }));
  return response;
}

async function outboxFor(email: string, target: object = devEnv): Promise<OutboxMessage[]> {
  const response = await app.request("/dev/outbox", { headers: { accept: "application/json", ...ADMIN } }, target);
  expect(response.status).toBe(200);
  const { messages } = (await response.json()) as { messages: OutboxMessage[] };
  return messages.filter((message) => message.to === email).reverse();
}

function subscribe(email: string, target: typeof devEnv | typeof outboxEnv) {
  return request(
    "/subscribe",
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) },
    target,
  );
}

beforeEach(() => resetMock());

describe("outbox mode (no RESEND_API_KEY)", () => {
  it("stores the confirmation in the outbox instead of calling Resend", async () => {
    const email = uniqueEmail();
    expect((await subscribe(email, devEnv)).status).toBe(202);

    expect(await mockSends()).toEqual([]);
    const [message] = await outboxFor(email);
    expect(message).toMatchObject({
      from: "paperboy <digest@paperboy.test>",
      to: email,
      subject: "Confirm your paperboy subscription",
      headers: {},
      idempotencyKey: expect.stringMatching(/^mail\/[0-9a-f]{32}$/),
    });
    expect(message!.text).toContain(linkIn(message!.html, "/confirm"));
  });

  it("lists messages at /dev/outbox and shows each one's headers, HTML and text", async () => {
    const email = uniqueEmail();
    await subscribe(email, devEnv);
    const [confirmation] = await outboxFor(email);
    const confirmToken = tokenOf(linkIn(confirmation!.text, "/confirm"));
    const confirmed = await request(
      "/confirm",
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: confirmToken }).toString() },
      devEnv,
    );
    expect(confirmed.status).toBe(200);
    const welcome = (await outboxFor(email)).find((message) => message.subject === "Welcome to paperboy");
    const unsubscribeLink = linkIn(welcome!.text, "/unsubscribe");
    expect(welcome!.headers).toEqual({
      "List-Id": expect.stringMatching(/^paperboy daily <daily\.[a-z0-9.-]+>$/),
      "List-Unsubscribe": `<${unsubscribeLink}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });

    const list = await app.request("/dev/outbox", { headers: { accept: "text/html" } }, devEnv);
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(headingOf(listHtml)).toBe("Outbox");
    expect(listHtml).toContain(`<a href="/dev/outbox/${welcome!.id}">Welcome to paperboy</a>`);
    expect(listHtml).toContain(email);

    const detail = await app.request(`/dev/outbox/${welcome!.id}`, { headers: { accept: "text/html" } }, devEnv);
    expect(detail.status).toBe(200);
    const html = await detail.text();
    expect(headingOf(html)).toBe("Welcome to paperboy");
    expect(html).toContain(`<th scope="row">List-Unsubscribe</th><td>&lt;${unsubscribeLink}&gt;</td>`);
    expect(html).toContain('<th scope="row">List-Unsubscribe-Post</th><td>List-Unsubscribe=One-Click</td>');
    expect(html).toContain(`<th scope="row">Idempotency-Key</th><td>${welcome!.idempotencyKey}</td>`);
    // The HTML part sits escaped in a sandboxed iframe, the text part in a <pre>.
    const srcdoc = /<iframe[^>]*srcdoc="([^"]*)"/.exec(html)?.[1];
    expect(srcdoc).toContain("&lt;html");
    expect(srcdoc).toContain(unsubscribeLink);
    expect(/<iframe[^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/.test(html)).toBe(true);
    expect(/<pre>([\s\S]*)<\/pre>/.exec(html)?.[1]).toContain(unsubscribeLink);
    expect(formsIn(html)).toEqual([]);
  });

  it("answers an unknown message number with 404", async () => {
    const response = await app.request("/dev/outbox/999999", { headers: { accept: "application/json" } }, devEnv);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "There is no message with this number in the outbox." },
    });
  });

  it("outside development, shows the outbox only to the admin token, since it holds working links", async () => {
    const email = uniqueEmail();
    await subscribe(email, outboxEnv);

    expect((await app.request("/dev/outbox", {}, outboxEnv)).status).toBe(404);
    expect((await app.request("/dev/outbox", { headers: { authorization: "Bearer wrong-token" } }, outboxEnv)).status).toBe(404);
    expect((await outboxFor(email, outboxEnv)).map((message) => message.subject)).toEqual(["Confirm your paperboy subscription"]);
  });
});

describe("with RESEND_API_KEY set", () => {
  it("has no /dev/outbox at all, even for the admin", async () => {
    const response = await app.request("/dev/outbox", { headers: { accept: "application/json", ...ADMIN } }, { ...env, ENVIRONMENT: "development" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "There is no page at this address." } });
  });
});

describe("the outbox mailer", () => {
  it("takes tags as Resend does: stores a tagged email, and refuses by index one whose tag Resend would refuse", async () => {
    const mailer = createOutboxMailer(env.DB);
    const email = (to: string, value: string) => ({ from: "paperboy <digest@paperboy.test>", to, subject: "Tagged", html: "<p>Hi</p>", text: "Hi", tags: [{ name: "edition", value }] });
    const good = uniqueEmail("tagged");
    const answer = await mailer.sendBatch([email(good, "2026-W48"), email(uniqueEmail("badly-tagged"), "week 48")], { idempotencyKey: `tags/${crypto.randomUUID()}` });
    expect(answer.outcome).toEqual({ ok: true, ids: [expect.stringMatching(/^outbox_\d+$/), null], refused: [{ index: 1, message: expect.stringContaining("Invalid tag value") }] });
    const stored = await env.DB.prepare("SELECT recipient FROM outbox WHERE subject = 'Tagged'").all<{ recipient: string }>();
    expect(stored.results).toEqual([{ recipient: good }]);
  });
});
