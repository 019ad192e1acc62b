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
