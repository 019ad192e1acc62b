import { isCalendarDay, isIsoWeek, isoWeekDays } from "../lib/calendar";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

/**
 * Parses a digest date ("YYYY-MM-DD", a UTC calendar day). Throws a RangeError for anything
 * else, including impossible days like "2026-02-30", so a bad date never reaches a subject line.
 */
function parseDigestDate(date: string): Date {
  if (!isCalendarDay(date)) throw new RangeError(`Not a YYYY-MM-DD date: "${date}"`);
  return new Date(`${date}T00:00:00Z`);
}

/** @example longDate("2026-11-26") // "Thursday, 26 November 2026" */
export function longDate(date: string): string {
  const day = parseDigestDate(date);
  return `${WEEKDAYS[day.getUTCDay()]}, ${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
}

/** @example shortDate("2026-11-26") // "26 Nov 2026" */
function shortDate(date: string): string {
  const day = parseDigestDate(date);
  return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]?.slice(0, 3)} ${day.getUTCFullYear()}`;
}

/** @example weekRange("2026-W48") // "23–29 November 2026"; across months "30 November – 6 December 2026" */
function weekRange(week: string): string {
  const { first, last } = isoWeekDays(week);
  const [start, end] = [parseDigestDate(first), parseDigestDate(last)];
  const endText = `${end.getUTCDate()} ${MONTHS[end.getUTCMonth()]} ${end.getUTCFullYear()}`;
  if (start.getUTCFullYear() !== end.getUTCFullYear()) return `${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]} ${start.getUTCFullYear()} – ${endText}`;
  if (start.getUTCMonth() !== end.getUTCMonth()) return `${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]} – ${endText}`;
  return `${start.getUTCDate()}–${endText}`;
}

/**
 * An edition's heading: its day, or its week and the days it spans.
 *
 * @example editionHeading("2026-11-26") // "Thursday, 26 November 2026"
 * @example editionHeading("2026-W48") // "Week 48 · 23–29 November 2026"
 */
export function editionHeading(edition: string): string {
  return isIsoWeek(edition) ? `Week ${Number(edition.slice(6))} · ${weekRange(edition)}` : longDate(edition);
}

/** @example editionShortName("2026-11-26") // "26 Nov 2026"; editionShortName("2026-W48") // "Week 48, 2026" */
export function editionShortName(edition: string): string {
  return isIsoWeek(edition) ? `Week ${Number(edition.slice(6))}, ${edition.slice(0, 4)}` : shortDate(edition);
}
