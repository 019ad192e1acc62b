/**
 * True for a real calendar day written `YYYY-MM-DD`, e.g. "2024-02-29" but not "2023-02-29".
 * Daily Papers are keyed by such days, and a malformed one would be sent upstream verbatim.
 */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls "02-30" over to March 2nd; the round trip catches that.
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * True for an ISO 8601 week written `YYYY-Www`, e.g. "2026-W48"; a year has 52 or 53 of them.
 * Hugging Face's `?week=` takes this form.
 */
export function isIsoWeek(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const match = /^(\d{4})-W(\d{2})$/.exec(value);
  if (!match) return false;
  const week = Number(match[2]);
  return week >= 1 && week <= weeksInIsoYear(Number(match[1]));
}

/** Midnight UTC of the Monday that starts ISO week `week` of ISO year `year`. */
function mondayOf(year: number, week: number): number {
  // 4 January is always in week 1.
  const january4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(january4).getUTCDay() + 6) % 7;
  return january4 - weekday * DAY_MS + (week - 1) * 7 * DAY_MS;
}

function weeksInIsoYear(year: number): number {
  return isoWeekOf(mondayOf(year + 1, 1) - DAY_MS).week;
}

/** The ISO week containing the instant (UTC). */
export function isoWeekOf(instant: number): { year: number; week: number; id: string } {
  const day = new Date(Math.floor(instant / DAY_MS) * DAY_MS);
  // The ISO year is the year of the week's Thursday.
  const thursday = day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return { year, week, id: `${year}-W${String(week).padStart(2, "0")}` };
}

/** The UTC days an ISO week spans, Monday to Sunday, as "YYYY-MM-DD". */
export function isoWeekDays(id: string): { first: string; last: string } {
  if (!isIsoWeek(id)) throw new RangeError(`Not a YYYY-Www week: "${id}"`);
  const monday = mondayOf(Number(id.slice(0, 4)), Number(id.slice(6)));
  const iso = (instant: number) => new Date(instant).toISOString().slice(0, 10);
  return { first: iso(monday), last: iso(monday + 6 * DAY_MS) };
}
