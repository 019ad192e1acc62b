import { ADMIN_TOKEN } from "../../test/support/dev-worker";
import { sleep } from "../../test/support/processes";

/** What `GET /admin/digests/:date` answers (the fields the benchmarks read). */
export interface DigestStatus {
  date: string;
  status: "waiting" | "ready" | "sending" | "sent" | "skipped";
  completedAt: string | null;
  recipients: number;
  delivered: number;
  chunks: { total: number; pending: number; sending: number; sent: number; failed: number };
  failedChunks: { chunk: number; attempts: number; error: string | null }[];
  lastError: string | null;
  skipReason: string | null;
}

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** `POST /admin/digests/:date/send`: builds the digest (if needed) and queues its fan-out. */
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

/** The cron trigger, as `wrangler dev` exposes it: runs `scheduled()` as if at `time`. */
export async function triggerCron(baseUrl: string, time: number, cron = "0 6-12 * * *"): Promise<string> {
  const response = await fetch(`${baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}&time=${time}`);
  return `${response.status} ${await response.text()}`;
}

/**
 * Polls the digest until every chunk is settled (status `sent`), `stalledMs` pass without any
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
    if (status?.status === "sent" || status?.status === "skipped") return { outcome: "settled", status };
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

/** The counting entry's D1 tallies, by origin (`queue`, `POST /admin/digests/:date/send`, ...). */
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
