// When each edition reaches a reader: their hour, in their zone, on the first morning after it is
// ready (a weekly one on their Monday), through daylight-saving changes and odd offsets. Runs in
// workerd, whose ICU data is production's.
import { describe, expect, it } from "vitest";
import { buildDeadline, buildOpensAt, editionsToBuild, newestBuildable, sendableUntil } from "../../src/digest/editions";
import { quarterHourOf, slotFor, slotsDue } from "../../src/digest/schedule";
import { canonicalZone, localTime, zonesByRegion } from "../../src/lib/time-zones";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
/** The reader's wall clock at the slot, as "YYYY-MM-DD HH:MM weekday". */
function wallClock(zone: string, instant: number): string {
  const local = localTime(zone, instant);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)} ${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][local.weekday]}`;
}

describe("a daily edition's slot", () => {
  // Monday 30 November's papers, ready at 06:00 UTC on Tuesday 1 December 2026.
  const edition = "2026-11-30";
  const readyAt = buildOpensAt(edition);

  it.each([
    ["America/Los_Angeles", 7, "2026-12-01T15:00:00.000Z", "2026-12-01 07:00 Tue"],
    ["UTC", 7, "2026-12-01T07:00:00.000Z", "2026-12-01 07:00 Tue"],
    ["Asia/Kolkata", 7, "2026-12-02T01:30:00.000Z", "2026-12-02 07:00 Wed"],
    ["Asia/Kathmandu", 7, "2026-12-02T01:15:00.000Z", "2026-12-02 07:00 Wed"],
    ["Asia/Tokyo", 7, "2026-12-01T22:00:00.000Z", "2026-12-02 07:00 Wed"],
    ["Pacific/Chatham", 7, "2026-12-01T17:15:00.000Z", "2026-12-02 07:00 Wed"],
    ["Pacific/Kiritimati", 6, "2026-12-01T16:00:00.000Z", "2026-12-02 06:00 Wed"],
    ["Pacific/Pago_Pago", 10, "2026-12-01T21:00:00.000Z", "2026-12-01 10:00 Tue"],
  ])("reaches a reader in %s at %i:00 on their first morning after it is ready", (zone, hour, utc, local) => {
    const slot = slotFor(edition, zone, hour);
    expect(iso(slot)).toBe(utc);
    expect(wallClock(zone, slot)).toBe(local);
    expect(slot).toBeGreaterThanOrEqual(readyAt);
    expect(slot - readyAt).toBeLessThan(24 * 60 * 60 * 1000);
  });

  it("falls on a quarter hour in every zone the runtime knows, at every delivery hour", () => {
    const zones = zonesByRegion().flatMap((region) => region.zones);
    expect(zones.length).toBeGreaterThan(300);
    for (const zone of zones)
      for (const hour of [6, 7, 8, 9, 10]) {
        const slot = slotFor(edition, zone, hour);
        expect(slot, zone).toBe(quarterHourOf(slot));
        expect(localTime(zone, slot).hour, zone).toBe(hour);
        expect(slot, zone).toBeGreaterThanOrEqual(readyAt);
      }
  });

  // Clocks go forward on 8 March and back on 1 November 2026 in New York, on 29 March and 25 October in Berlin.
  it.each([
    ["America/New_York", "2026-03-04"],
    ["America/New_York", "2026-10-28"],
    ["Europe/Berlin", "2026-03-25"],
    ["Europe/Berlin", "2026-10-21"],
    ["Australia/Sydney", "2026-04-02"],
    ["Pacific/Chatham", "2026-09-24"],
  ])("brings a 07:00 reader in %s one edition every morning at 07:00, across the change (editions from %s)", (zone, first) => {
    const editions = Array.from({ length: 10 }, (_, index) => new Date(at(`${first}T00:00:00Z`) + index * 86_400_000).toISOString().slice(0, 10));
    const mornings = editions.map((day) => wallClock(zone, slotFor(day, zone, 7)));
    for (const morning of mornings) expect(morning.slice(11, 16)).toBe("07:00");
    const localDays = mornings.map((morning) => Date.parse(`${morning.slice(0, 10)}T00:00:00Z`));
    for (let index = 1; index < localDays.length; index++) expect(localDays[index]! - localDays[index - 1]!, mornings.join(" | ")).toBe(86_400_000);
    for (const day of editions) expect(slotFor(day, zone, 7)).toBeGreaterThanOrEqual(buildOpensAt(day));
  });

  it("keeps a zone's morning when the edition is built late: those whose hour has passed get it at once", () => {
    // Ready at 08:00 UTC instead of 06:00: the UTC 07:00 reader's slot has passed (the freeze takes them at
    // its next run); the 10:00 reader's has not.
    expect(iso(slotFor(edition, "UTC", 7))).toBe("2026-12-01T07:00:00.000Z");
    expect(iso(slotFor(edition, "UTC", 10))).toBe("2026-12-01T10:00:00.000Z");
    expect(slotsDue(edition, [{ zone: "UTC", hour: 7 }, { zone: "UTC", hour: 10 }], { after: null, through: at("2026-12-01T08:00:00Z") })).toEqual([
      { zone: "UTC", hour: 7, slot: at("2026-12-01T07:00:00Z") },
    ]);
  });
});

describe("a weekly edition's slot", () => {
  // Week 49 (30 November to 6 December 2026), built on its Sunday at 06:00 UTC.
  const edition = "2026-W49";
  const readyAt = buildOpensAt(edition);

  it("is built on the week's Sunday at 06:00 UTC, before anyone's Monday morning", () => {
    expect(iso(readyAt)).toBe("2026-12-06T06:00:00.000Z");
  });

  it.each([
    ["Pacific/Kiritimati", 6, "2026-12-06T16:00:00.000Z"],
    ["Asia/Tokyo", 7, "2026-12-06T22:00:00.000Z"],
    ["Europe/Berlin", 7, "2026-12-07T06:00:00.000Z"],
    ["America/Los_Angeles", 10, "2026-12-07T18:00:00.000Z"],
    ["Pacific/Pago_Pago", 10, "2026-12-07T21:00:00.000Z"],
  ])("reaches a reader in %s at %i:00 on their Monday", (zone, hour, utc) => {
    const slot = slotFor(edition, zone, hour);
    expect(slot).toBeGreaterThanOrEqual(readyAt);
    expect(iso(slot)).toBe(utc);
    expect(wallClock(zone, slot)).toMatch(new RegExp(`^2026-12-07 ${String(hour).padStart(2, "0")}:00 Mon$`));
  });
});

describe("edition windows", () => {
  it("builds yesterday's daily edition from 06:00 UTC until the deadline, and a week's on its Sunday", () => {
    expect(editionsToBuild(at("2026-12-01T05:55:00Z"), 12)).toEqual([]);
    expect(editionsToBuild(at("2026-12-01T06:00:00Z"), 12)).toEqual(["2026-11-30"]);
    expect(editionsToBuild(at("2026-12-01T12:00:00Z"), 12)).toEqual(["2026-11-30"]);
    expect(editionsToBuild(at("2026-12-01T13:00:00Z"), 12)).toEqual([]);
    expect(editionsToBuild(at("2026-12-06T06:00:00Z"), 12)).toEqual(["2026-12-05", "2026-W49"]);
    expect(iso(buildDeadline("2026-W49", 12))).toBe("2026-12-06T12:00:00.000Z");
  });

  it("is sent for two days after its period, then not to anyone its morning missed", () => {
    expect(iso(sendableUntil("2026-11-30"))).toBe("2026-12-03T00:00:00.000Z");
    expect(iso(sendableUntil("2026-W49"))).toBe("2026-12-09T00:00:00.000Z");
  });

  it("knows the newest edition of each cadence an operator may build", () => {
    expect(newestBuildable("daily", at("2026-12-01T05:00:00Z"))).toBe("2026-11-29");
    expect(newestBuildable("daily", at("2026-12-01T06:00:00Z"))).toBe("2026-11-30");
    expect(newestBuildable("weekly", at("2026-12-05T23:00:00Z"))).toBe("2026-W48");
    expect(newestBuildable("weekly", at("2026-12-06T06:00:00Z"))).toBe("2026-W49");
  });

  it("freezes, in each run, the zone-hours whose slot came since the last run", () => {
    const groups = [
      { zone: "UTC", hour: 7 },
      { zone: "UTC", hour: 8 },
      { zone: "Asia/Kolkata", hour: 7 },
    ];
    const due = (after: string | null, through: string) =>
      slotsDue("2026-11-30", groups, { after: after === null ? null : at(after), through: at(through) }).map((group) => `${group.zone} ${group.hour}`);
    expect(due(null, "2026-12-01T06:45:00Z")).toEqual([]);
    expect(due(null, "2026-12-01T07:00:00Z")).toEqual(["UTC 7"]);
    expect(due("2026-12-01T07:00:00Z", "2026-12-01T08:00:00Z")).toEqual(["UTC 8"]);
    expect(due("2026-12-01T08:00:00Z", "2026-12-02T01:30:00Z")).toEqual(["Asia/Kolkata 7"]);
  });
});

describe("time zone names", () => {
  it("accepts IANA names in their current spelling, whatever case they come in", () => {
    expect(canonicalZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(canonicalZone("asia/calcutta")).toBe("Asia/Kolkata");
    expect(canonicalZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(canonicalZone("Europe/Kiev")).toBe("Europe/Kyiv");
    expect(canonicalZone("utc")).toBe("UTC");
  });

  it("refuses what is not a zone: made-up names, offsets, text", () => {
    for (const input of ["Mars/Olympus", "+05:30", "UTC+5", "", "Europe/Berlin; DROP TABLE", "x".repeat(80)]) expect(canonicalZone(input), input).toBeNull();
  });

  it("answers a name the same the second time, as a sign-up's connection zone asks again and again", () => {
    for (let round = 0; round < 2; round++) {
      expect(canonicalZone("asia/saigon")).toBe("Asia/Ho_Chi_Minh");
      expect(canonicalZone("Mars/Phobos")).toBeNull();
    }
  });

  it("lists every zone under its region for the picker, the current names included", () => {
    const regions = zonesByRegion();
    expect(regions[0]).toEqual({ region: "UTC", zones: ["UTC"] });
    const europe = regions.find((region) => region.region === "Europe")!.zones;
    expect(europe).toContain("Europe/Kyiv");
    expect(europe).not.toContain("Europe/Kiev");
    expect(regions.find((region) => region.region === "Asia")!.zones).toContain("Asia/Kolkata");
  });
});
