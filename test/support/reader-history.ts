/**
 * A list with a past, for pages that chart it: readers who signed up over the last three months
 * (more of them lately), with a mix of choices, some who left again and some still unconfirmed,
 * written straight into a `wrangler dev` state's D1.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { d1Execute, type LocalState } from "./dev-worker";

const DAY_MS = 24 * 60 * 60 * 1000;
const ROWS_PER_INSERT = 200;

/** Zones and hours whose morning after a day comes before the end of the next UTC day, so a send of the day before yesterday reaches them all. */
const MORNINGS: [zone: string, hour: number][] = [
  ["UTC", 7], ["UTC", 7], ["UTC", 7], ["UTC", 6], ["UTC", 8], ["Europe/London", 7], ["Europe/London", 8],
  ["America/New_York", 7], ["America/New_York", 9], ["America/Sao_Paulo", 7], ["America/Los_Angeles", 10],
];
const SIZES = [10, 10, 10, 5, 5, 3, 20];
/** Built-in topics that the topic day's papers (bench/lib/topic-papers.ts) each cover, so no reader is left without a paper. */
const TOPICS = ["agents", "vision", "robotics", "efficiency", "safety", "language-models"];

export interface ReaderHistory {
  /** Active daily readers: who a daily edition is for. */
  daily: string[];
  /** Active weekly readers. */
  weekly: string[];
  /** Readers who confirmed and unsubscribed later. */
  leavers: number;
  /** Signed up, never confirmed. */
  pending: number;
}

export interface HistoryOptions {
  /** Active readers; every `weeklyEvery`-th reads weekly, the rest daily. */
  active: number;
  weeklyEvery: number;
  leavers: number;
  pending: number;
  now?: number;
}

const address = (n: number) => `reader${String(n).padStart(6, "0")}@dashboard.example`;
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Writes the readers with multi-row INSERTs. Active readers confirmed at least three days before
 * `now`, so an edition of the day before yesterday may be sent to all of them.
 */
export async function seedReaderHistory(state: LocalState, options: HistoryOptions): Promise<ReaderHistory> {
  const now = options.now ?? Date.now();
  const history: ReaderHistory = { daily: [], weekly: [], leavers: options.leavers, pending: options.pending };
  const rows: string[] = [];
  const row = (n: number, status: string, created: number, confirmed: number | null, left: number | null, choices: string) =>
    rows.push(`(${n}, ${quote(address(n))}, ${quote(address(n))}, ${quote(status)}, 1, ${created}, ${left ?? confirmed ?? created}, ${confirmed ?? "NULL"}, ${left ?? "NULL"}, ${choices})`);
  // Within a day, readers arrive spread over its hours; over the months, more of them lately.
  const timeOfDay = (n: number) => ((n * 7919) % 1440) * 60_000;
  let n = 0;
  for (let index = 0; index < options.active; index++) {
    n += 1;
    const daysAgo = 3 + Math.floor(86 * (1 - Math.sqrt((index + 0.5) / options.active)));
    const created = now - daysAgo * DAY_MS - timeOfDay(n);
    const weekly = n % options.weeklyEvery === 0;
    const [zone, hour] = MORNINGS[(n * 5) % MORNINGS.length]!;
    const topics = n % 4 === 0 ? [TOPICS[(n / 4) % TOPICS.length]!] : [];
    row(n, "active", created, created + 600_000, null, [quote(weekly ? "weekly" : "daily"), SIZES[(n * 3) % SIZES.length], quote(JSON.stringify(topics)), quote(zone), hour].join(", "));
    (weekly ? history.weekly : history.daily).push(address(n));
  }
  const defaults = "'daily', 10, '[]', 'UTC', 7";
  for (let index = 0; index < options.leavers; index++) {
    n += 1;
    const created = now - (40 + (index % 49)) * DAY_MS - timeOfDay(n);
    row(n, "unsubscribed", created, created + 600_000, now - (1 + ((index * 7) % 36)) * DAY_MS - timeOfDay(n + 1), defaults);
  }
  for (let index = 0; index < options.pending; index++) {
    n += 1;
    row(n, "pending", now - (index % 3) * DAY_MS - timeOfDay(n), null, null, defaults);
  }
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT)
    statements.push(
      `INSERT INTO subscribers (id, email, email_key, status, token_version, created_at, updated_at, confirmed_at, unsubscribed_at, cadence, digest_size, topics, timezone, delivery_hour) VALUES ${rows.slice(start, start + ROWS_PER_INSERT).join(", ")};`,
    );
  const file = join(state.dir, "reader-history.sql");
  await writeFile(file, statements.join("\n"));
  await d1Execute(state, { file });
  return history;
}
