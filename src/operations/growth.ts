/**
 * Readers over the last days, for the dashboard's chart: sign-ups, confirmations and leavers per
 * day, and the number of active readers at the end of each day.
 *
 * The active line is walked back from today's count using each reader's latest dates (a reader
 * who left, came back and left again counts once, on the last day they left; erased readers are
 * gone), so it is exact for the common path and close for the rest.
 */
export interface GrowthDay {
  date: string;
  signups: number;
  confirmations: number;
  /** Confirmed readers who unsubscribed, bounced, complained or became undeliverable that day. */
  leavers: number;
  /** Active readers at the end of the day. */
  active: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The moment a reader left, by the status they are in now. An unsubscribed reader may have left by a
 * bounce or complaint the operator lifted (which leaves no unsubscribe date): their latest leaving counts.
 */
const LEFT_AT = `CASE status
  WHEN 'unsubscribed' THEN NULLIF(MAX(COALESCE(unsubscribed_at, 0), COALESCE(bounced_at, 0), COALESCE(complained_at, 0)), 0)
  WHEN 'bounced' THEN bounced_at
  WHEN 'complained' THEN complained_at WHEN 'undeliverable' THEN updated_at END`;

export function growthStatements(db: D1Database, now: number, days: number): D1PreparedStatement[] {
  const since = startOfDay(now) - (days - 1) * DAY_MS;
  const perDay = (column: string, where = "") =>
    db
      .prepare(`SELECT date(${column} / 1000, 'unixepoch') AS date, COUNT(*) AS count FROM subscribers WHERE ${column} >= ? ${where} GROUP BY 1`)
      .bind(since);
  return [
    perDay("created_at"),
    perDay("confirmed_at"),
    perDay(`(${LEFT_AT})`, "AND confirmed_at IS NOT NULL"),
    db.prepare("SELECT COUNT(*) AS count FROM subscribers WHERE status = 'active'"),
  ];
}

/** Reads the results of `growthStatements` (in their order) into one row per day, oldest first. */
export function readGrowth(results: D1Result[], now: number, days: number): GrowthDay[] {
  const [signups, confirmations, leavers, active] = results.map((result) => (result.results ?? []) as { date: string; count: number }[]);
  const byDate = (rows: { date: string; count: number }[] | undefined) => new Map((rows ?? []).map((row) => [row.date, row.count]));
  const [signed, confirmed, left] = [byDate(signups), byDate(confirmations), byDate(leavers)];
  const today = startOfDay(now);
  const dates = Array.from({ length: days }, (_, index) => new Date(today - (days - 1 - index) * DAY_MS).toISOString().slice(0, 10));
  let activeAtEnd = active?.[0]?.count ?? 0;
  const newestFirst: GrowthDay[] = [];
  for (const date of dates.toReversed()) {
    const day = { date, signups: signed.get(date) ?? 0, confirmations: confirmed.get(date) ?? 0, leavers: left.get(date) ?? 0, active: activeAtEnd };
    newestFirst.push(day);
    activeAtEnd = Math.max(0, activeAtEnd - day.confirmations + day.leavers);
  }
  return newestFirst.reverse();
}

function startOfDay(instant: number): number {
  return Math.floor(instant / DAY_MS) * DAY_MS;
}
