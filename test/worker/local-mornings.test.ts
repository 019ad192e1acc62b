// Each reader gets each edition at their own hour, in their own zone, exactly once: the cron runs
// every five minutes on a fake clock (the `scheduledTime` Cloudflare passes), the queue is drained
// after each run, and the mock Resend records what went out.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { slotFor } from "../../src/digest/schedule";
import { localTime } from "../../src/lib/time-zones";
import { findPreferences, savePreferencesStatement } from "../../src/subscribers/preference-store";
import type { Preferences } from "../../src/subscribers/preferences";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { hfItems } from "../support/hf-items";
import { clearDigestState, insertSubscribers, type TestSubscriber } from "../support/worker/db";
import { digestDeliveries, resetMock } from "../support/worker/mock";
import { choose, cronAt, cronEveryFiveMinutes, frozenSlots, insertReaders } from "../support/worker/mornings";
import { admin } from "../support/worker/requests";
import { countingRowsRead } from "../support/worker/rows-read";
import { testClock, testServices } from "../support/worker/services";

const at = (iso: string) => Date.parse(iso);
const MINUTES = 60 * 1000;
// Monday 30 November 2026's papers, built at 06:00 UTC on Tuesday.
const EDITION = "2026-11-30";
/** A day of cron runs, five minutes apart, is a few hundred runs. */
const A_DAY_OF_RUNS = { timeout: 120_000 };

beforeEach(async () => {
  await resetMock({ papers: { [EDITION]: hfItems(3), "2026-12-01": hfItems(3) } });
  await clearDigestState();
});

const zones: [zone: string, hour: number][] = [
  ["America/Los_Angeles", 7],
  ["America/New_York", 10],
  ["UTC", 7],
  ["Asia/Kolkata", 7],
  ["Asia/Kathmandu", 7],
  ["Asia/Tokyo", 7],
  ["Pacific/Chatham", 7],
  ["Pacific/Kiritimati", 6],
];

async function move(reader: TestSubscriber, change: Partial<Preferences>, now: number): Promise<void> {
  const before = (await findPreferences(env.DB, reader.id))!;
  await env.DB.batch([savePreferencesStatement(env.DB, reader.id, before, { ...before, ...change }, now)]);
}

describe("the reader's own morning", () => {
  it("brings each reader the edition once, at their hour in their zone, though the cron fires twice at times", A_DAY_OF_RUNS, async () => {
    const readers = new Map<string, TestSubscriber[]>();
    for (const [zone, hour] of zones) readers.set(zone, await insertReaders(3, { timeZone: zone, deliveryHour: hour }, zone.replace("/", "-").toLowerCase()));
    const deps = testServices({ clock: testClock(at("2026-12-01T05:55:00Z")) });

    // Through the whole day after the build: every zone's morning comes within it.
    await cronEveryFiveMinutes(deps, at("2026-12-01T05:55:00Z"), at("2026-12-02T03:00:00Z"), async (instant) => {
      // Cloudflare may deliver a cron twice.
      if (instant % (60 * MINUTES) === 15 * MINUTES) await cronAt(deps, instant);
    });

    const everyone = [...readers.values()].flat();
    expect(countByRecipient(await digestDeliveries(EDITION))).toEqual(exactlyOnce(everyone));
    const slots = await frozenSlots(EDITION);
    for (const [zone, hour] of zones)
      for (const reader of readers.get(zone)!) {
        const slot = slots.get(reader.id)!;
        expect(slot, zone).toBe(slotFor(EDITION, zone, hour));
        expect(localTime(zone, slot), zone).toMatchObject({ hour, minute: 0 });
      }

    const status = await (await admin(`/admin/digests/${EDITION}`)).json<{ status: string; slots: { slot: string; recipients: number; sent: number; toGo: number }[] }>();
    expect(status.status).toBe("sent");
    // Los Angeles at 07:00 and New York at 10:00 share 15:00 UTC: seven slots for eight zones.
    expect(status.slots.map((slot) => slot.slot)).toEqual([...new Set(zones.map(([zone, hour]) => slotFor(EDITION, zone, hour)))].sort().map((slot) => new Date(slot).toISOString()));
    expect(status.slots.find((slot) => slot.slot === "2026-12-01T15:00:00.000Z")).toMatchObject({ recipients: 6, sent: 6, toGo: 0 });
  });

  it("never skips nor repeats a reader who moves their morning on the day", A_DAY_OF_RUNS, async () => {
    const [early] = await insertReaders(1, { timeZone: "UTC", deliveryHour: 7 }, "early");
    const [tokyo] = await insertReaders(1, { timeZone: "Asia/Tokyo", deliveryHour: 7 }, "tokyo");
    const [later] = await insertReaders(1, { timeZone: "UTC", deliveryHour: 9 }, "later");
    const deps = testServices({ clock: testClock(at("2026-12-01T05:55:00Z")) });

    await cronEveryFiveMinutes(deps, at("2026-12-01T05:55:00Z"), at("2026-12-01T23:00:00Z"), async (instant) => {
      // Already sent at 07:00 UTC, then moves to Los Angeles (10:00 there is 18:00 UTC): not again.
      if (instant === at("2026-12-01T08:00:00Z")) await move(early!, { timeZone: "America/Los_Angeles", deliveryHour: 10 }, instant);
      // Before their 09:00, moves to 10:00: gets it at 10:00 instead.
      if (instant === at("2026-12-01T08:30:00Z")) await move(later!, { deliveryHour: 10 }, instant);
      // Tokyo's morning (22:00 UTC) had not come; moves to UTC 07:00, which passed: gets it at the next quarter hour.
      if (instant === at("2026-12-01T12:05:00Z")) await move(tokyo!, { timeZone: "UTC", deliveryHour: 7 }, instant);
    });

    expect(countByRecipient(await digestDeliveries(EDITION))).toEqual(exactlyOnce([early!, tokyo!, later!]));
    const slots = await frozenSlots(EDITION);
    expect(new Date(slots.get(early!.id)!).toISOString()).toBe("2026-12-01T07:00:00.000Z");
    expect(new Date(slots.get(later!.id)!).toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(new Date(slots.get(tokyo!.id)!).toISOString()).toBe("2026-12-01T12:15:00.000Z");
  });

  it("is sent once the last morning that has readers of its cadence has come, whatever zones readers left behind", async () => {
    const [utc] = await insertReaders(1, { timeZone: "UTC", deliveryHour: 7 }, "utc");
    // Were in Los Angeles (15:00 UTC), now read at 09:00 UTC: the last morning with a reader.
    const [moved] = await insertReaders(1, { timeZone: "America/Los_Angeles", deliveryHour: 7 }, "moved");
    await choose([moved!], { timeZone: "UTC", deliveryHour: 9 });
    // Later mornings whose zones and hours nobody who gets the daily edition uses any more:
    const [left] = await insertSubscribers(1, { status: "unsubscribed", tag: "left" }); // Tokyo, 22:00 UTC
    await choose([left!], { timeZone: "Asia/Tokyo", deliveryHour: 7 });
    const [unconfirmed] = await insertSubscribers(1, { status: "pending", tag: "unconfirmed" }); // New York, 15:00 UTC
    await choose([unconfirmed!], { timeZone: "America/New_York", deliveryHour: 10 });
    await insertReaders(1, { cadence: "weekly", timeZone: "Pacific/Honolulu", deliveryHour: 10 }, "weekly"); // 20:00 UTC
    const [erased] = await insertReaders(1, { timeZone: "Pacific/Kiritimati", deliveryHour: 6 }, "erased"); // 16:00 UTC
    await env.DB.prepare("DELETE FROM subscribers WHERE id = ?").bind(erased!.id).run();
    const deps = testServices({ clock: testClock(at("2026-12-01T05:55:00Z")) });

    await cronEveryFiveMinutes(deps, at("2026-12-01T05:55:00Z"), at("2026-12-01T09:05:00Z"));

    expect(countByRecipient(await digestDeliveries(EDITION))).toEqual(exactlyOnce([utc!, moved!]));
    const status = await (await admin(`/admin/digests/${EDITION}`)).json<{ status: string; completedAt: string | null }>();
    // Sent at 09:00 UTC, not at 22:00 when Tokyo's morning comes.
    expect(status).toMatchObject({ status: "sent", completedAt: expect.stringMatching(/^2026-12-01T09:00/) });
  });

  it("reads the readers whose morning has come on each run, not everyone", async () => {
    const later = await insertReaders(1000, { timeZone: "UTC", deliveryHour: 9 }, "later");
    const due = await insertReaders(2, { timeZone: "UTC", deliveryHour: 7 }, "due");
    const counted = countingRowsRead(env.DB);
    const deps = testServices({ clock: testClock(at("2026-12-01T05:55:00Z")), db: counted.db });
    await cronAt(deps, at("2026-12-01T06:00:00Z"));

    counted.reset();
    await cronAt(deps, at("2026-12-01T07:00:00Z"));
    expect(countByRecipient(await digestDeliveries(EDITION))).toEqual(exactlyOnce(due));
    // Freezing and sending two readers' morning, with 1,000 others waiting for theirs: a fixed cost, not a scan.
    expect(counted.rowsRead()).toBeLessThan(later.length / 5);

    counted.reset();
    await cronAt(deps, at("2026-12-01T07:15:00Z"));
    expect(counted.rowsRead()).toBeLessThan(later.length / 5);
  });

  it("does not send an edition over two days old to a reader it missed, and counts them", async () => {
    const readers = await insertReaders(2, { timeZone: "Europe/Berlin", deliveryHour: 8 }, "missed");
    const deps = testServices({ clock: testClock(at("2026-12-01T05:55:00Z")) });
    await cronAt(deps, at("2026-12-01T06:00:00Z"));
    // The cron does not run again until Thursday: Berlin's 08:00 on Tuesday came and went.
    await cronAt(deps, at("2026-12-03T00:15:00Z"));

    expect(await digestDeliveries(EDITION)).toEqual([]);
    const status = await (await admin(`/admin/digests/${EDITION}`)).json<{ status: string; missed: number }>();
    expect(status).toMatchObject({ missed: readers.length });
    expect(deps.logs).toContainEqual(expect.objectContaining({ message: "edition closed, readers missed it", missed: 2 }));
  });
});
