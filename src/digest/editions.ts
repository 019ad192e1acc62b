/**
 * Editions: what paperboy sends, and when each one may be built and sent. An edition is a cadence
 * and a period, named by the period: "2026-11-30" is the daily edition of that UTC day's papers,
 * "2026-W48" the weekly edition of that ISO week's. The two forms never collide, so the name alone
 * says which cadence it is.
 *
 * - A daily edition is built from 06:00 UTC on the day after its day (Hugging Face's list for a
 *   day keeps growing while the day lasts); a weekly one from 06:00 UTC on its week's Sunday
 *   (Hugging Face lists nothing at weekends, so the week is complete by then, and every reader's
 *   Monday morning, even at UTC+14, comes after it).
 * - A source that stays down is retried hourly until the deadline hour (UTC) of that build day,
 *   then the edition is skipped.
 * - It is sent for two days after its period ends: a reader whose morning it missed by more is
 *   not sent news that old (see `schedule.ts`).
 */
import { isCalendarDay, isIsoWeek, isoWeekDays, isoWeekOf } from "../lib/calendar";
import type { Cadence } from "../subscribers/preferences";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** The UTC hour from which an edition may be built. */
const BUILD_HOUR = 6;
/** How long after its period ends an edition is still sent to a reader whose morning it missed. */
const SENDABLE_FOR_MS = 2 * DAY_MS;

export function cadenceOf(edition: string): Cadence | null {
  if (isCalendarDay(edition)) return "daily";
  if (isIsoWeek(edition)) return "weekly";
  return null;
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The UTC days an edition's papers come from. */
export function periodDays(edition: string): { first: string; last: string } {
  return cadenceOf(edition) === "weekly" ? isoWeekDays(edition) : { first: edition, last: edition };
}

/** The instant its period ends (midnight UTC after its last day). */
function periodEnd(edition: string): number {
  return dayStart(periodDays(edition).last) + DAY_MS;
}

/** From when it may be built: 06:00 UTC on the day after a daily edition's day, or on a weekly one's Sunday. */
export function buildOpensAt(edition: string): number {
  const last = dayStart(periodDays(edition).last);
  return (cadenceOf(edition) === "weekly" ? last : last + DAY_MS) + BUILD_HOUR * HOUR_MS;
}

/** Until when a source that is down keeps being retried: `deadlineHour` UTC on the build day. */
export function buildDeadline(edition: string, deadlineHour: number): number {
  return buildOpensAt(edition) - BUILD_HOUR * HOUR_MS + deadlineHour * HOUR_MS;
}

/** After this instant nobody is sent the edition any more: its news is over two days old. */
export function sendableUntil(edition: string): number {
  return periodEnd(edition) + SENDABLE_FOR_MS;
}

/**
 * The edition of each cadence whose build window `now` falls in, if any: yesterday's daily one
 * from 06:00 UTC, this week's weekly one on Sunday from 06:00 UTC.
 */
export function editionsToBuild(now: number, deadlineHour: number): string[] {
  const yesterday = new Date(now - DAY_MS).toISOString().slice(0, 10);
  const thisWeek = isoWeekOf(now).id;
  return [yesterday, thisWeek].filter((edition) => now >= buildOpensAt(edition) && now < buildDeadline(edition, deadlineHour) + HOUR_MS);
}

/** The newest edition of the cadence that may already be built at `now` (for the operator's checks). */
export function newestBuildable(cadence: Cadence, now: number): string {
  if (cadence === "daily") {
    const yesterday = new Date(now - DAY_MS).toISOString().slice(0, 10);
    return now >= buildOpensAt(yesterday) ? yesterday : new Date(now - 2 * DAY_MS).toISOString().slice(0, 10);
  }
  const thisWeek = isoWeekOf(now).id;
  return now >= buildOpensAt(thisWeek) ? thisWeek : isoWeekOf(now - 7 * DAY_MS).id;
}
