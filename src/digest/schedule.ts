/**
 * When an edition reaches a reader: at their delivery hour, in their time zone, on their first
 * local morning after the edition is due to be ready (06:00 UTC the day after a daily edition's
 * day, a weekly one's Sunday), a weekly edition on the Monday after its week. Pure functions over an
 * edition and a reader's zone and hour.
 *
 * Which morning is decided with the zone's summer-time offset all year round, so each zone and hour
 * gets each daily edition on a fixed local day: one edition every morning, also on the days the
 * clocks change (a rule that looked at the clock of the day itself would send two editions on one
 * of those days and none on the other). A reader's *slot* for an edition is that instant. Every
 * offset in use is a whole number of quarter hours, so every slot is a quarter hour (UTC), which is
 * how often the cron freezes. An edition built late reaches those whose slot has passed at once.
 */
import { addLocalDays, instantOfLocalHour, localTime, summerOffset } from "../lib/time-zones";
import { DELIVERY_HOURS } from "../subscribers/preferences";
import { buildOpensAt, cadenceOf, periodDays } from "./editions";

const dayParts = (day: string) => ({ year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) });

/**
 * The reader's slot for the edition.
 *
 * @example slotFor("2026-11-30", "Asia/Tokyo", 7) // 07:00 JST on Wednesday 2 December
 */
export function slotFor(edition: string, zone: string, hour: number): number {
  const lastDay = dayParts(periodDays(edition).last);
  if (cadenceOf(edition) === "weekly") return instantOfLocalHour(zone, addLocalDays(lastDay, 1), hour);
  const due = buildOpensAt(edition);
  const offset = summerOffset(zone, lastDay.year);
  // The day after, or the one after that: offsets run from -12 to +14 hours.
  const day = [1, 2].map((days) => addLocalDays(lastDay, days)).find((candidate) => Date.UTC(candidate.year, candidate.month - 1, candidate.day, hour) - offset >= due);
  return instantOfLocalHour(zone, day ?? addLocalDays(lastDay, 2), hour);
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
export function slotsDue(edition: string, groups: readonly ZoneHour[], window: { after: number | null; through: number }): (ZoneHour & { slot: number })[] {
  return groups
    .map((group) => ({ ...group, slot: slotFor(edition, group.zone, group.hour) }))
    .filter(({ slot }) => slot <= window.through && (window.after === null || slot > window.after));
}

/** Slots are quarter hours: the freeze of a run covers the slots up to the quarter hour it runs in. */
export function quarterHourOf(instant: number): number {
  const QUARTER = 15 * 60 * 1000;
  return Math.floor(instant / QUARTER) * QUARTER;
}

/**
 * How many mornings after a day a reader in `zone` at `hour` gets that day's edition: 1 (the next
 * morning) or 2 (the list is not complete before their next morning), the same all year.
 */
function morningsAfterTheDay(zone: string, hour: number, year: number): 1 | 2 {
  const day = `${year}-06-01`;
  const slot = slotFor(day, zone, hour);
  const local = localTime(zone, slot);
  return Date.UTC(local.year, local.month - 1, local.day) - Date.parse(`${day}T00:00:00Z`) === 86_400_000 ? 1 : 2;
}

/** What the preference centre says about when a day's papers arrive: `morningsAfter`, and the earliest hour that would bring them a morning sooner. */
export function arrivalOf(zone: string, hour: number, year: number): { morningsAfter: 1 | 2; soonerFrom: number | null } {
  const morningsAfter = morningsAfterTheDay(zone, hour, year);
  const sooner = morningsAfter === 2 ? DELIVERY_HOURS.find((candidate) => morningsAfterTheDay(zone, candidate, year) === 1) : undefined;
  return { morningsAfter, soonerFrom: sooner ?? null };
}
