/**
 * IANA time zones: which names we accept, how a zone's local clock reads at an instant, and the
 * instant at which a local wall-clock hour comes. Built on the runtime's Intl (ICU), so daylight
 * saving and half- and quarter-hour offsets are ICU's, not ours.
 */

/**
 * ICU still calls some zones by names IANA has replaced; readers (and Cloudflare's
 * `request.cf.timezone`) use the current ones, so those are what we store and show.
 */
const RENAMED: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "America/Godthab": "America/Nuuk",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
};

export const UTC = "UTC";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter per zone, kept for the isolate's life: creating one costs far more than using it. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * Names already looked up: every sign-up names its connection's zone, and asking ICU costs a new
 * formatter (about a millisecond, the largest part of a sign-up's CPU). Bounded, because the names
 * come from visitors; the few hundred real zones fit many times over.
 */
const canonicalNames = new Map<string, string | null>();
const MAX_REMEMBERED_NAMES = 2_000;

/**
 * The zone's current IANA name, or null when it is not a time zone the runtime knows by name
 * (offsets such as "+05:30" are refused: they know nothing of daylight saving).
 *
 * @example canonicalZone("asia/calcutta") // "Asia/Kolkata"
 */
export function canonicalZone(input: string): string | null {
  const name = input.trim();
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/.test(name) || name.length > 64) return null;
  if (canonicalNames.has(name)) return canonicalNames.get(name)!;
  let canonical: string | null;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    canonical = RENAMED[resolved] ?? resolved;
  } catch {
    canonical = null;
  }
  if (canonicalNames.size < MAX_REMEMBERED_NAMES) canonicalNames.set(name, canonical);
  return canonical;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export interface LocalTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** How the zone's clock reads at `instant` (ms since the epoch). */
export function localTime(zone: string, instant: number): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(zone: string, instant: number): number {
  const local = localTime(zone, instant);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The instant at which the zone's clocks show `hour`:00 on the given local calendar day. Two rounds
 * settle it: the offset at the first guess is the offset at the answer unless a daylight-saving
 * change lies between them, and the second round corrects for that. (Delivery hours, 06–10, are
 * outside every zone's transitions; an hour a transition skips lands just after the gap.)
 */
export function instantOfLocalHour(zone: string, day: { year: number; month: number; day: number }, hour: number): number {
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour);
  const guess = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, guess);
}

/** The zone's larger offset of the year (its summer time, where it keeps one), in ms. */
export function summerOffset(zone: string, year: number): number {
  return Math.max(offsetAt(zone, Date.UTC(year, 0, 15)), offsetAt(zone, Date.UTC(year, 6, 15)));
}

/** The local calendar day `days` after the given one (no zone involved: calendar arithmetic). */
export function addLocalDays(day: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Every zone the runtime knows, by its current name, grouped by region ("Europe", "America", …), for a picker. */
export function zonesByRegion(): { region: string; zones: string[] }[] {
  const names = new Set(Intl.supportedValuesOf("timeZone").map((zone) => RENAMED[zone] ?? zone));
  const regions = new Map<string, string[]>();
  for (const zone of [...names].sort()) {
    const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : "Other";
    regions.set(region, [...(regions.get(region) ?? []), zone]);
  }
  return [{ region: "UTC", zones: [UTC] }, ...[...regions].map(([region, zones]) => ({ region, zones }))];
}
