import { describe, expect, it } from "vitest";
import type { LifecycleEvent, SubscriberStatus } from "../../src/subscribers/lifecycle";
import {
  CONFIRMATION_RESEND_INTERVAL_MS,
  ENTERED_AT,
  nextStatus,
  shouldSendConfirmation,
  STATUSES,
  statusesAllowing,
  SUPPRESSED,
} from "../../src/subscribers/lifecycle";

const EVENTS: LifecycleEvent[] = ["subscribe", "confirm", "unsubscribe", "resubscribe", "bounce", "complain"];

/**
 * The lifecycle written out by hand, one row per event, one column per starting status:
 * the status after the event, or null when the event is refused.
 */
const EXPECTED: Record<LifecycleEvent, Record<SubscriberStatus, SubscriberStatus | null>> = {
  //            pending          active           unsubscribed     bounced       complained
  subscribe: { pending: "pending", active: null, unsubscribed: "pending", bounced: null, complained: null },
  confirm: { pending: "active", active: "active", unsubscribed: null, bounced: null, complained: null },
  unsubscribe: { pending: "unsubscribed", active: "unsubscribed", unsubscribed: "unsubscribed", bounced: null, complained: null },
  resubscribe: { pending: "active", active: "active", unsubscribed: "active", bounced: null, complained: null },
  bounce: { pending: "bounced", active: "bounced", unsubscribed: "bounced", bounced: "bounced", complained: null },
  complain: {
    pending: "complained",
    active: "complained",
    unsubscribed: "complained",
    bounced: "complained",
    complained: "complained",
  },
};

describe("nextStatus", () => {
  const cases = EVENTS.flatMap((event) => STATUSES.map((status) => [event, status, EXPECTED[event][status]] as const));

  it("covers every event from every status", () => {
    expect(cases).toHaveLength(EVENTS.length * STATUSES.length);
    expect(STATUSES).toEqual(["pending", "active", "unsubscribed", "bounced", "complained"]);
  });

  it.each(cases)("%s from %s gives %s", (event, status, expected) => {
    expect(nextStatus(status, event)).toBe(expected);
  });

  it("never makes anyone active except by confirming or resubscribing from our own email", () => {
    for (const event of EVENTS)
      for (const status of STATUSES)
        if (status !== "active" && nextStatus(status, event) === "active") expect(["confirm", "resubscribe"]).toContain(event);
  });

  it("keeps bounced and complained addresses suppressed whatever the visitor does", () => {
    expect(SUPPRESSED).toEqual(["bounced", "complained"]);
    for (const status of SUPPRESSED)
      for (const event of ["subscribe", "confirm", "resubscribe", "unsubscribe"] as const) expect(nextStatus(status, event)).toBeNull();
  });
});

describe("statusesAllowing", () => {
  it.each(EVENTS)("lists exactly the statuses %s may start from", (event) => {
    const expected = STATUSES.filter((status) => EXPECTED[event][status] !== null);
    expect([...statusesAllowing(event)].sort()).toEqual([...expected].sort());
  });
});

describe("ENTERED_AT", () => {
  it("names a timestamp column of the subscribers table for every status", () => {
    expect(ENTERED_AT).toEqual({
      pending: "confirmation_sent_at",
      active: "confirmed_at",
      unsubscribed: "unsubscribed_at",
      bounced: "bounced_at",
      complained: "complained_at",
    });
  });
});

describe("shouldSendConfirmation", () => {
  const now = Date.UTC(2026, 10, 27, 8, 0, 0);
  const tenMinutes = 10 * 60 * 1000;

  it("waits ten minutes between confirmation emails", () => {
    expect(CONFIRMATION_RESEND_INTERVAL_MS).toBe(tenMinutes);
  });

  it("sends to a new address", () => {
    expect(shouldSendConfirmation("pending", null, now)).toBe(true);
  });

  it("sends to a pending address again only once ten minutes have passed", () => {
    expect(shouldSendConfirmation("pending", now, now)).toBe(false);
    expect(shouldSendConfirmation("pending", now - tenMinutes + 1, now)).toBe(false);
    expect(shouldSendConfirmation("pending", now - tenMinutes, now)).toBe(true);
    expect(shouldSendConfirmation("pending", now - 24 * 60 * tenMinutes, now)).toBe(true);
  });

  it("sends to an unsubscribed address, even if its last confirmation went out a minute ago", () => {
    expect(shouldSendConfirmation("unsubscribed", null, now)).toBe(true);
    expect(shouldSendConfirmation("unsubscribed", now - 60_000, now)).toBe(true);
    expect(shouldSendConfirmation("unsubscribed", now - 30 * 24 * 60 * 60_000, now)).toBe(true);
  });

  it.each(["active", "bounced", "complained"] as const)("never sends to a %s address", (status) => {
    expect(shouldSendConfirmation(status, null, now)).toBe(false);
    expect(shouldSendConfirmation(status, now - 365 * 24 * 60 * 60_000, now)).toBe(false);
  });
});
