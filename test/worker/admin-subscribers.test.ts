import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const ORIGIN = "https://paperboy.test";
const AUTH = { authorization: "Bearer test-admin-token" };

async function insert(email: string, status: string, fields: Record<string, number> = {}) {
  const row = { created_at: Date.now(), updated_at: Date.now(), ...fields };
  const columns = Object.keys(row);
  await env.DB.prepare(
    `INSERT INTO subscribers (email, email_key, status${columns.map((c) => `, ${c}`).join("")})
     VALUES (?, ?, ?${columns.map(() => ", ?").join("")})`,
  )
    .bind(email, email.toLowerCase(), status, ...Object.values(row))
    .run();
}

const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(`${ORIGIN}/admin${path}`, { ...init, headers: { ...AUTH, ...(init.headers ?? {}) } });

describe("operator tools", () => {
  it("refuse requests without the admin token", async () => {
    for (const path of ["/stats", "/subscribers.csv", "/subscribers/a@example.com"]) {
      const response = await exports.default.fetch(`${ORIGIN}/admin${path}`, { headers: { authorization: "Bearer wrong" } });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("count subscribers by status, and sign-ups, leavers and active readers per day over 90 days", async () => {
    type Growth = { date: string; signups: number; confirmations: number; leavers: number; active: number }[];
    type Stats = { subscribers: Record<string, number>; growth: Growth };
    const before = (await (await admin("/stats")).json()) as Stats;
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    // Confirmed three days ago and still reading; confirmed two days ago, left yesterday.
    await insert(`stats-${crypto.randomUUID()}@example.com`, "active", { created_at: now - 3 * day, confirmed_at: now - 3 * day });
    await insert(`stats-${crypto.randomUUID()}@example.com`, "unsubscribed", { created_at: now - 2 * day, confirmed_at: now - 2 * day, unsubscribed_at: now - day });
    // Confirmed two days ago, bounced yesterday, and the operator lifted the bounce today: unsubscribed, with no date of its own.
    await insert(`stats-${crypto.randomUUID()}@example.com`, "unsubscribed", { created_at: now - 2 * day, confirmed_at: now - 2 * day, bounced_at: now - day });
    const after = (await (await admin("/stats")).json()) as Stats;
    expect(after.subscribers.active).toBe((before.subscribers.active ?? 0) + 1);
    expect(after.subscribers.unsubscribed).toBe((before.subscribers.unsubscribed ?? 0) + 2);
    expect(after.subscribers).toHaveProperty("complained");

    expect(after.growth).toHaveLength(90);
    const dateOf = (daysAgo: number) => new Date(now - daysAgo * day).toISOString().slice(0, 10);
    expect(after.growth.at(-1)!.date).toBe(dateOf(0));
    const change = (daysAgo: number) => {
      const [then, earlier] = [after, before].map((stats) => stats.growth.find((entry) => entry.date === dateOf(daysAgo))!);
      return { signups: then!.signups - earlier!.signups, leavers: then!.leavers - earlier!.leavers, active: then!.active - earlier!.active };
    };
    expect(change(3)).toEqual({ signups: 1, leavers: 0, active: 1 });
    // Three readers were active at the end of the day before yesterday; two of them left yesterday.
    expect(change(2)).toEqual({ signups: 2, leavers: 0, active: 3 });
    expect(change(1)).toEqual({ signups: 0, leavers: 2, active: 1 });
    expect(change(0)).toEqual({ signups: 0, leavers: 0, active: 1 });
    expect(change(4).active).toBe(0);
  });

  it("export the list as CSV with each reader's choices, with spreadsheet formulas defused", async () => {
    const plain = `csv-${crypto.randomUUID()}@example.com`;
    const formula = `=cmd-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const chooser = `choices-${crypto.randomUUID()}@example.com`;
    await insert(plain, "active", { confirmed_at: Date.UTC(2026, 0, 2) });
    await insert(formula, "pending");
    await insert(chooser, "active", { confirmed_at: 1 });
    await env.DB.prepare("UPDATE subscribers SET cadence = 'weekly', digest_size = 5, topics = ?, timezone = 'Asia/Kolkata', delivery_hour = 8 WHERE email = ?")
      .bind(JSON.stringify(["agents", "mixture of experts"]), chooser)
      .run();
    const response = await admin("/subscribers.csv");
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("email,status,created_at,confirmed_at,unsubscribed_at,bounced_at,complained_at,cadence,digest_size,topics,timezone,delivery_hour");
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${plain},active,[^,]+,2026-01-02T00:00:00.000Z,,,,daily,10,,UTC,7$`)));
    expect(lines).toContainEqual(`'${formula},pending,${lines.find((l) => l.includes(formula))!.split(",")[2]},,,,,daily,10,,UTC,7`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${chooser},active,.*,weekly,5,agents; mixture of experts,Asia/Kolkata,8$`)));
  });

  it("look up one address, case-insensitively", async () => {
    const email = `Lookup-${crypto.randomUUID()}@Example.com`;
    await insert(email.replace("Example.com", "example.com"), "active", { confirmed_at: 1 });
    const response = await admin(`/subscribers/${encodeURIComponent(email.toUpperCase())}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "active", confirmedAt: "1970-01-01T00:00:00.001Z" });
    expect((await admin("/subscribers/nobody%40example.com")).status).toBe(404);
    expect((await admin("/subscribers/not-an-address")).status).toBe(422);
  });

  it("delete one address and all its data, keeping only a keyed hash", async () => {
    const email = `erase-${crypto.randomUUID()}@example.com`;
    await insert(email, "active", { confirmed_at: 1 });
    await env.DB.prepare(
      "INSERT INTO outbox (created_at, sender, recipient, subject, headers, html, text) VALUES (1, 'x', ?, 's', '{}', 'h', 't')",
    )
      .bind(email)
      .run();
    const response = await admin(`/subscribers/${encodeURIComponent(email)}`, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect((await admin(`/subscribers/${encodeURIComponent(email)}`)).status).toBe(404);
    const leftovers = await env.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM subscribers WHERE email_key = ?1) + (SELECT COUNT(*) FROM outbox WHERE recipient = ?1) AS n",
    )
      .bind(email)
      .first<{ n: number }>();
    expect(leftovers?.n).toBe(0);
    const hashes = await env.DB.prepare("SELECT email_hash FROM suppressions").all<{ email_hash: string }>();
    expect(hashes.results.some((row) => row.email_hash.includes(email))).toBe(false);
    expect(hashes.results.length).toBeGreaterThanOrEqual(1);

    // The address stays suppressed until its owner confirms a new sign-up: that gets the usual answer and a pending row.
    const hashesBefore = hashes.results.length;
    const signup = await exports.default.fetch(`${ORIGIN}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: email.toUpperCase() }),
    });
    expect(signup.status).toBe(202);
    expect(await (await admin(`/subscribers/${encodeURIComponent(email)}`)).json()).toMatchObject({ status: "pending" });
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM suppressions").first<{ n: number }>())!.n).toBe(hashesBefore);
  });
});

describe("delete my data", () => {
  it("is offered on the unsubscribe page and erases the subscriber, whose links then stop working", async () => {
    const email = `leaver-${crypto.randomUUID()}@example.com`;
    await insert(email, "active", { confirmed_at: 1 });
    const id = (await env.DB.prepare("SELECT id FROM subscribers WHERE email_key = ?").bind(email).first<{ id: number }>())!.id;
    const { unsubscribeUrl } = await import("../../src/subscribers/links");
    const { parseConfig } = await import("../../src/config");
    const config = parseConfig(env);
    if (!config.ok) throw new Error("test config invalid");
    const link = new URL(await unsubscribeUrl(config.config, { id, tokenVersion: 1 }));

    const page = await (await exports.default.fetch(`${ORIGIN}${link.pathname}${link.search}`)).text();
    expect(page).toContain('<form method="get" action="/unsubscribe/delete">');
    // Its button opens the question; the question's button erases.
    const question = await (await exports.default.fetch(`${ORIGIN}/unsubscribe/delete${link.search}`)).text();
    const action = /action="(\/unsubscribe\/delete\?token=[^"]+)"/.exec(question)?.[1]?.replace(/&amp;/g, "&");
    expect(action).toBeTruthy();
    const deleted = await exports.default.fetch(`${ORIGIN}${action}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      body: "",
    });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain("Your data is deleted");
    expect((await admin(`/subscribers/${encodeURIComponent(email)}`)).status).toBe(404);
    const again = await exports.default.fetch(`${ORIGIN}${link.pathname}${link.search}`);
    expect(again.status).toBe(400);
  });
});
