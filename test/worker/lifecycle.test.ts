import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LifecycleEvent, SubscriberStatus } from "../../src/subscribers/lifecycle";
import { claimConfirmationStatement } from "../../src/subscribers/store";
import {
  CONFIRMATION_RESEND_INTERVAL_MS,
  ENTERED_AT,
  MANAGE_LINK_STATUSES,
  SIGNUP_MAIL,
  nextStatus,
  STATUSES,
  statusesAllowing,
  SUPPRESSED,
} from "../../src/subscribers/lifecycle";

const EVENTS: LifecycleEvent[] = ["subscribe", "confirm", "unsubscribe", "resubscribe", "bounce", "complain", "refuse", "lift"];

/**
 * The lifecycle written out by hand, one row per event, one column per starting status:
 * the status after the event, or null when the event is refused.
 */
const EXPECTED: Record<LifecycleEvent, Record<SubscriberStatus, SubscriberStatus | null>> = {
  subscribe: { pending: "pending", active: null, unsubscribed: "pending", bounced: null, complained: null, undeliverable: null },
  confirm: { pending: "active", active: "active", unsubscribed: null, bounced: null, complained: null, undeliverable: null },
  unsubscribe: {
    pending: "unsubscribed",
    active: "unsubscribed",
    unsubscribed: "unsubscribed",
    bounced: null,
    complained: null,
    undeliverable: null,
  },
  resubscribe: { pending: "active", active: "active", unsubscribed: "active", bounced: null, complained: null, undeliverable: null },
  bounce: { pending: "bounced", active: "bounced", unsubscribed: "bounced", bounced: "bounced", complained: null, undeliverable: null },
  complain: {
    pending: "complained",
    active: "complained",
    unsubscribed: "complained",
    bounced: "complained",
    complained: "complained",
    undeliverable: "complained",
  },
  refuse: {
    pending: "undeliverable",
    active: "undeliverable",
    unsubscribed: "undeliverable",
    bounced: null,
    complained: null,
    undeliverable: "undeliverable",
  },
  lift: { pending: null, active: null, unsubscribed: null, bounced: "unsubscribed", complained: "unsubscribed", undeliverable: "unsubscribed" },
};

describe("nextStatus", () => {
  const cases = EVENTS.flatMap((event) => STATUSES.map((status) => [event, status, EXPECTED[event][status]] as const));

  it("knows exactly the statuses the subscribers table accepts", async () => {
    const { sql } = (await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = 'subscribers'").first<{ sql: string }>())!;
    const allowed = /status TEXT NOT NULL CHECK \(status IN \(([^)]*)\)\)/.exec(sql)![1]!.split(",").map((s) => s.trim().replace(/'/g, ""));
    expect([...STATUSES].sort()).toEqual(allowed.sort());
  });

  it.each(cases)("%s from %s gives %s", (event, status, expected) => {
    expect(nextStatus(status, event)).toBe(expected);
  });

  it("never makes anyone active except by confirming or resubscribing from our own email", () => {
    for (const event of EVENTS)
      for (const status of STATUSES)
        if (status !== "active" && nextStatus(status, event) === "active") expect(["confirm", "resubscribe"]).toContain(event);
  });

  it("keeps bounced, complained and undeliverable addresses suppressed whatever the visitor does", () => {
    expect(SUPPRESSED).toEqual(["bounced", "complained", "undeliverable"]);
    for (const status of SUPPRESSED)
      for (const event of ["subscribe", "confirm", "resubscribe", "unsubscribe"] as const) expect(nextStatus(status, event)).toBeNull();
  });
});

describe("what a sign-up of a known address sends", () => {
  it("is written down once: a confirmation where the subscribe event applies, 'already subscribed' to an active reader, nothing to a suppressed one", () => {
    expect(SIGNUP_MAIL).toEqual({
      pending: "confirm",
      active: "already_subscribed",
      unsubscribed: "confirm",
      bounced: null,
      complained: null,
      undeliverable: null,
    });
    // The confirmation's SQL guard comes from the subscribe event: the two must agree.
    expect(STATUSES.filter((status) => SIGNUP_MAIL[status] === "confirm").sort()).toEqual([...statusesAllowing("subscribe")].sort());
    for (const status of SUPPRESSED) expect(SIGNUP_MAIL[status]).toBeNull();
  });

  it("and 'manage by email' reaches every address on the list but a suppressed one", () => {
    expect([...MANAGE_LINK_STATUSES].sort()).toEqual(["active", "pending", "unsubscribed"]);
  });
});

describe("statusesAllowing", () => {
  it.each(EVENTS)("lists exactly the statuses %s may start from", (event) => {
    const expected = STATUSES.filter((status) => EXPECTED[event][status] !== null);
    expect([...statusesAllowing(event)].sort()).toEqual([...expected].sort());
  });
});

describe("ENTERED_AT", () => {
  it("names a distinct timestamp column of the subscribers table for every status", async () => {
    const { results } = await env.DB.prepare("SELECT name, type FROM pragma_table_info('subscribers')").all<{ name: string; type: string }>();
    const columns = new Map(results.map((column) => [column.name, column.type]));
    for (const status of STATUSES) expect(columns.get(ENTERED_AT[status]), status).toBe("INTEGER");
    expect(new Set(Object.values(ENTERED_AT)).size).toBe(STATUSES.length);
  });
});

/** Whether the claim of a confirmation mail succeeds for a subscriber in `status` last mailed at `lastSentAt`. */
async function claims(status: SubscriberStatus, lastSentAt: number | null, now: number): Promise<boolean> {
  const email = `claim-${crypto.randomUUID()}@example.com`;
  await env.DB.prepare("INSERT INTO subscribers (email, email_key, status, created_at, updated_at, confirmation_sent_at) VALUES (?1, ?1, ?2, 1, 1, ?3)")
    .bind(email, status, lastSentAt)
    .run();
  const result = await claimConfirmationStatement(env.DB, { emailKey: email }, now, CONFIRMATION_RESEND_INTERVAL_MS).run();
  return result.meta.changes === 1;
}

describe("the claim of a confirmation mail", () => {
  const now = Date.UTC(2026, 10, 27, 8, 0, 0);
  const tenMinutes = 10 * 60 * 1000;

  it("sends to a new address", async () => {
    expect(await claims("pending", null, now)).toBe(true);
  });

  it("sends to a pending address again only once ten minutes have passed", async () => {
    expect(await claims("pending", now, now)).toBe(false);
    expect(await claims("pending", now - tenMinutes + 1, now)).toBe(false);
    expect(await claims("pending", now - tenMinutes, now)).toBe(true);
    expect(await claims("pending", now - 24 * 60 * tenMinutes, now)).toBe(true);
  });

  it("sends to an unsubscribed address, even if its last confirmation went out a minute ago", async () => {
    expect(await claims("unsubscribed", null, now)).toBe(true);
    expect(await claims("unsubscribed", now - 60_000, now)).toBe(true);
    expect(await claims("unsubscribed", now - 30 * 24 * 60 * 60_000, now)).toBe(true);
  });

  it.each(["active", "bounced", "complained", "undeliverable"] as const)("never sends to a %s address", async (status) => {
    expect(await claims(status, null, now)).toBe(false);
    expect(await claims(status, now - 365 * 24 * 60 * 60_000, now)).toBe(false);
  });
});
