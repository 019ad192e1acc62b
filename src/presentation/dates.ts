import { isCalendarDay } from "../lib/calendar";

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
export function shortDate(date: string): string {
  const day = parseDigestDate(date);
  return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]?.slice(0, 3)} ${day.getUTCFullYear()}`;
}
