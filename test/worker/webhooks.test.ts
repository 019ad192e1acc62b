import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { signSvix } from "../support/svix";
import { clearDigestState, insertSubscribers } from "../support/worker/db";
import { buildToday } from "../support/worker/digest";
import { digestDeliveries, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { testServices } from "../support/worker/services";

const SECRET = (env as unknown as { RESEND_WEBHOOK_SECRET: string }).RESEND_WEBHOOK_SECRET;

async function addSubscriber(status = "active"): Promise<string> {
  const email = `reader-${crypto.randomUUID()}@example.com`;
  await env.DB.prepare(
    `INSERT INTO subscribers (email, email_key, status, created_at, updated_at, confirmed_at) VALUES (?, ?, ?, 1, 1, 1)`,
  )
    .bind(email, email, status)
    .run();
  return email;
}

async function subscriber(email: string) {
  return env.DB.prepare("SELECT status, transient_bounces FROM subscribers WHERE email_key = ?")
    .bind(email.toLowerCase())
    .first<{ status: string; transient_bounces: number }>();
}

function bounce(to: string, type = "Permanent") {
  return { type: "email.bounced", created_at: new Date().toISOString(), data: { email_id: "e1", to: [to], bounce: { type, message: "550" } } };
}

async function deliver(
  body: unknown,
  options: { id?: string; secret?: string; timestamp?: number; tamper?: (raw: string) => string } = {},
) {
  const raw = JSON.stringify(body);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = await signSvix(options.secret ?? SECRET, id, timestamp, raw);
  return exports.default.fetch("https://paperboy.test/webhooks/resend", {
    method: "POST",
    headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": signature },
    body: options.tamper ? options.tamper(raw) : raw,
  });
}

describe("POST /webhooks/resend", () => {
  let email: string;
  beforeEach(async () => {
    email = await addSubscriber();
  });

  it("marks a permanently bounced subscriber bounced", async () => {
    const response = await deliver(bounce(email));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "processed" });
    expect((await subscriber(email))?.status).toBe("bounced");
  });

  it("marks a complaint as complained, even for someone who already unsubscribed", async () => {
    const gone = await addSubscriber("unsubscribed");
    await deliver({ type: "email.complained", created_at: "", data: { to: [gone] } });
    expect((await subscriber(gone))?.status).toBe("complained");
  });

  it("suppresses after three transient bounces in a row, and a delivery resets the count", async () => {
    await deliver(bounce(email, "Transient"));
    await deliver(bounce(email, "Transient"));
    await deliver({ type: "email.delivered", created_at: "", data: { to: [email] } });
    await deliver(bounce(email, "Transient"));
    await deliver(bounce(email, "Transient"));
    expect(await subscriber(email)).toEqual({ status: "active", transient_bounces: 2 });
    await deliver(bounce(email, "Transient"));
    expect((await subscriber(email))?.status).toBe("bounced");
  });

  it("answers a replayed svix-id with 2xx and no second effect", async () => {
    const first = await deliver(bounce(email, "Transient"), { id: "msg_replayed" });
    const again = await deliver(bounce(email, "Transient"), { id: "msg_replayed" });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate" });
    expect((await subscriber(email))?.transient_bounces).toBe(1);
  });

  it.each([
    ["a tampered body", { tamper: (raw: string) => raw.replace("Permanent", "Permanent ") }, 401],
    ["the wrong secret", { secret: `whsec_${btoa("some-other-secret")}` }, 401],
    ["a stale timestamp", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }, 400],
    ["a timestamp from the future", { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 }, 400],
  ])("refuses %s and changes nothing", async (_, options, status) => {
    const response = await deliver(bounce(email), options);
    expect(response.status).toBe(status);
    expect((await response.json()) as object).toHaveProperty("error.code");
    expect((await subscriber(email))?.status).toBe("active");
  });

  it("refuses a signed body that is not an email event", async () => {
    const response = await deliver({ hello: "world" });
    expect(response.status).toBe(400);
    expect((await subscriber(email))?.status).toBe("active");
  });

  it("refuses a request without signature headers", async () => {
    const response = await exports.default.fetch("https://paperboy.test/webhooks/resend", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(bounce(email)),
    });
    expect(response.status).toBe(400);
    expect((await subscriber(email))?.status).toBe("active");
  });

  it("keeps a suppressed address suppressed when someone signs it up again", async () => {
    await deliver(bounce(email));
    const signup = await exports.default.fetch("https://paperboy.test/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
    expect(signup.status).toBe(202);
    expect((await subscriber(email))?.status).toBe("bounced");
  });
});

describe("bounces and complaints per edition", () => {
  let email: string;
  beforeEach(async () => {
    email = await addSubscriber();
  });

  async function feedback(edition: string) {
    const { results } = await env.DB.prepare("SELECT kind, count FROM edition_feedback WHERE edition = ? ORDER BY kind").bind(edition).all();
    return results;
  }

  it("counts a digest mail's bounce and complaint against the edition its tag names, as Resend echoes it", async () => {
    await resetMock();
    await clearDigestState();
    const [bouncer, complainer] = await insertSubscribers(2, { tag: "feedback" });
    const deps = testServices();
    const edition = await buildToday(deps);
    await drainQueue(deps);

    // What Resend got with each mail is what its events carry back.
    const tagsOf = async (to: string) => (await digestDeliveries(edition)).find((delivery) => delivery.to === to)!.tags;
    expect(await tagsOf(bouncer!.email)).toEqual([{ name: "edition", value: edition }]);
    await deliver({ ...bounce(bouncer!.email), data: { ...bounce(bouncer!.email).data, tags: await tagsOf(bouncer!.email) } });
    // Resend's own examples show the tags as an object.
    await deliver({ type: "email.complained", created_at: "", data: { to: [complainer!.email], tags: { edition } } });

    expect(await feedback(edition)).toEqual([
      { kind: "bounced", count: 1 },
      { kind: "complained", count: 1 },
    ]);
  });

  it("counts a redelivered event once", async () => {
    const event = { ...bounce(email, "Transient"), data: { ...bounce(email, "Transient").data, tags: { edition: "2026-W48" } } };
    await deliver(event, { id: "msg_feedback_twice" });
    expect(await (await deliver(event, { id: "msg_feedback_twice" })).json()).toEqual({ status: "duplicate" });
    await deliver(event);
    expect(await feedback("2026-W48")).toEqual([{ kind: "bounced", count: 2 }]);
  });

  it("counts nothing for mail without an edition tag, a tag that names no edition, or a delivery", async () => {
    const before = await env.DB.prepare("SELECT COALESCE(SUM(count), 0) AS total FROM edition_feedback").first<{ total: number }>();
    await deliver(bounce(email, "Transient"));
    await deliver({ ...bounce(email, "Transient"), data: { ...bounce(email, "Transient").data, tags: [{ name: "edition", value: "yesterday" }] } });
    await deliver({ type: "email.delivered", created_at: "", data: { to: [email], tags: { edition: "2026-12-01" } } });
    const after = await env.DB.prepare("SELECT COALESCE(SUM(count), 0) AS total FROM edition_feedback").first<{ total: number }>();
    expect(after).toEqual(before);
  });
});
