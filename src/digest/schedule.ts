/**
 * When an edition reaches a reader: at their delivery hour, in their time zone, on the first
 * local morning after it is ready (a weekly edition: on the first local Monday). Pure functions
 * over an edition, the instant it became ready and a reader's zone and hour.
 *
 * A reader's *slot* for an edition is that instant. Every offset in use is a whole number of
 * quarter hours, so every slot falls on a quarter hour (UTC), which is how often the cron freezes.
 */
import { addLocalDays, instantOfLocalHour, localTime } from "../lib/time-zones";
import { cadenceOf, sendableUntil } from "./editions";

const MONDAY = 1;

function weekdayOf(day: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
}

/**
 * The reader's slot for the edition: their first `hour`:00 at or after `readyAt`; for a weekly
 * edition the first such Monday, or, for one built so late that no Monday comes while it is still
 * sendable, simply the next morning.
 *
 * @example slotFor("2026-11-30", readyAt, "Asia/Tokyo", 7) // 07:00 JST on the first morning after readyAt
 */
export function slotFor(edition: string, readyAt: number, zone: string, hour: number): number {
  const start = localTime(zone, readyAt);
  const weekly = cadenceOf(edition) === "weekly";
  let nextMorning: number | null = null;
  // Eight local days hold a Monday whichever day readyAt falls on.
  for (let offset = 0; offset <= 8; offset++) {
    const day = addLocalDays(start, offset);
    const instant = instantOfLocalHour(zone, day, hour);
    if (instant < readyAt) continue;
    nextMorning ??= instant;
    if (!weekly || weekdayOf(day) === MONDAY) return weekly && instant >= sendableUntil(edition) ? nextMorning : instant;
  }
  return nextMorning!;
}

/** One delivery group: the readers of one zone who read at one hour. */
export interface ZoneHour {
  zone: string;
  hour: number;
}

/**
 * The zone-hours whose slot for the edition lies in (`after`, `through`]; `after` null means from
 * the beginning. This is what one cron run freezes: everyone whose morning has come since the last.
 */
export function slotsDue(
  edition: string,
  readyAt: number,
  groups: readonly ZoneHour[],
  window: { after: number | null; through: number },
): (ZoneHour & { slot: number })[] {
  return groups
    .map((group) => ({ ...group, slot: slotFor(edition, readyAt, group.zone, group.hour) }))
    .filter(({ slot }) => slot <= window.through && (window.after === null || slot > window.after));
}

/** Slots are quarter hours: the freeze of a run covers the slots up to the quarter hour it runs in. */
export function quarterHourOf(instant: number): number {
  const QUARTER = 15 * 60 * 1000;
  return Math.floor(instant / QUARTER) * QUARTER;
}
