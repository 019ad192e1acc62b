import { ADMIN_TOKEN } from "../../test/support/dev-worker";
import { sleep } from "../../test/support/processes";

/** What `GET /admin/digests/:date` answers for an edition (the fields the benchmarks read). */
export interface DigestStatus {
  edition: string;
  cadence: "daily" | "weekly";
  status: "waiting" | "ready" | "sending" | "sent" | "sent_with_failures" | "skipped";
  completedAt: string | null;
  frozenThrough: string | null;
  recipients: number;
  delivered: number;
  /** Readers whose topics matched none of the edition's papers: sent nothing, by design. */
  unmatched: number;
  missed: number;
  papers: { id: string; title: string; upvotes: number }[];
  chunks: { total: number; pending: number; sending: number; sent: number; failed: number; unknown: number };
  slots: { slot: string; chunks: number; recipients: number; sent: number; failed: number; toGo: number }[];
  failedChunks: { chunk: number; attempts: number; error: string | null }[];
  lastError: string | null;
  skipReason: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The daily edition that every reader at the default morning (07:00 UTC) is due for at `now` and
 * that may still be sent (until D+3 00:00 UTC): yesterday's once it is 07:00 UTC, else the day
 * before's. Sending it freezes everyone at once.
 */
export function dueDailyEdition(now = Date.now()): string {
  const sevenUtc = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate(), 7);
  return new Date(now - (now >= sevenUtc ? 1 : 2) * DAY_MS).toISOString().slice(0, 10);
}

/** Settled: nothing pending or sending, every reader's morning frozen (or nothing to send). */
const isSettled = (status: DigestStatus | null) =>
  status?.status === "sent" || status?.status === "sent_with_failures" || status?.status === "skipped";

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** `POST /admin/digests/:date/send`: builds the edition (or re-drives it) and queues its freeze. */
export async function triggerSend(baseUrl: string, date: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/admin/digests/${date}/send`, { method: "POST", headers: auth });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function digestStatus(baseUrl: string, date: string): Promise<DigestStatus | null> {
  const response = await fetch(`${baseUrl}/admin/digests/${date}`, { headers: auth, signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET /admin/digests/${date} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as DigestStatus;
}

/** The cron trigger, as `wrangler dev` exposes it: runs `scheduled()` as if at `time` (the freeze follows it). */
export async function triggerCron(baseUrl: string, time: number, cron = "*/5 * * * *"): Promise<string> {
  const response = await fetch(`${baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}&time=${time}`);
  return `${response.status} ${await response.text()}`;
}

/**
 * Polls the edition until it is settled (`sent`, `sent_with_failures` or `skipped`), `stalledMs` pass without any
 * chunk settling, or `timeoutMs` runs out. Never loops forever.
 */
export async function waitUntilSettled(
  baseUrl: string,
  date: string,
  { timeoutMs, stalledMs = Infinity, intervalMs = 250, progress }: {
    timeoutMs: number;
    stalledMs?: number;
    intervalMs?: number;
    /** Extra progress signal (e.g. the mock's accepted count), so a slow chunk is not taken for a stall. */
    progress?: () => number;
  },
): Promise<{ outcome: "settled" | "stalled" | "timeout"; status: DigestStatus | null }> {
  const start = Date.now();
  let lastChange = start;
  let lastMark = "";
  let status: DigestStatus | null = null;
  while (Date.now() - start < timeoutMs) {
    try {
      status = await digestStatus(baseUrl, date);
    } catch {
      // A busy dev server may time out one poll; the next one tells.
    }
    if (isSettled(status)) return { outcome: "settled", status };
    const mark = `${status?.status}/${status?.chunks.sent}/${status?.chunks.failed}/${progress?.() ?? 0}`;
    if (mark !== lastMark) {
      lastMark = mark;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stalledMs) return { outcome: "stalled", status };
    await sleep(intervalMs);
  }
  return { outcome: "timeout", status };
}

export interface D1Counts {
  statements: number;
  roundTrips: number;
  batches: number;
  rowsRead: number;
  rowsWritten: number;
}

/** The counting entry's D1 tallies, by origin (`queue`, `scheduled`, `POST /admin/digests/:date/send`, ...). */
export async function d1Counts(baseUrl: string): Promise<Record<string, D1Counts>> {
  const response = await fetch(`${baseUrl}/__bench/d1`);
  return (await response.json()) as Record<string, D1Counts>;
}

export function addCounts(...counts: (D1Counts | undefined)[]): D1Counts {
  const total: D1Counts = { statements: 0, roundTrips: 0, batches: 0, rowsRead: 0, rowsWritten: 0 };
  for (const count of counts) {
    if (!count) continue;
    for (const key of Object.keys(total) as (keyof D1Counts)[]) total[key] += count[key];
  }
  return total;
}

/** Rows read and written per SQL statement, across origins, most rows read first: where D1's reads go. */
export interface StatementRows {
  sql: string;
  runs: number;
  rowsRead: number;
  rowsWritten: number;
}

export async function d1Statements(baseUrl: string): Promise<StatementRows[]> {
  const response = await fetch(`${baseUrl}/__bench/d1/statements`);
  return (await response.json()) as StatementRows[];
}

/** One freeze's atomic part as the counting entry saw it (bench/lib/worker-entry.mjs). */
export interface FreezeEvent {
  edition: string;
  /** Quarter hour (ms) the part marks as frozen: the freeze's own in its last part, the previous one before. */
  through: number;
  chunks: number;
  recipients: number;
  unmatched: number;
  /** workerd's clock once the part's D1 batch had answered (ms since the epoch). */
  at: number;
}

/** Renders stored per edition (each `INSERT INTO digest_renderings` the Worker ran) and every freeze part. */
export async function benchEvents(baseUrl: string): Promise<{ renders: Record<string, number>; freezes: FreezeEvent[] }> {
  const response = await fetch(`${baseUrl}/__bench/events`);
  return (await response.json()) as { renders: Record<string, number>; freezes: FreezeEvent[] };
}
