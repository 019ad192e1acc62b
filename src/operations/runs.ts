/**
 * The record of each cron run and queue batch (`runs`), which the health panel lists: written once,
 * when the run ends, under the run id its log lines carry, so a row leads straight to its lines.
 */
export type RunKind = "cron" | "queue";

export interface FinishedRun {
  id: string;
  kind: RunKind;
  startedAt: number;
  finishedAt: number;
  outcome: "ok" | "failed";
  /** What the run did (the cron's report, the queue's message counts) or why it failed; stored as JSON. */
  detail: unknown;
}

export interface RunRecord {
  id: string;
  kind: RunKind;
  startedAt: number;
  finishedAt: number | null;
  outcome: "running" | "ok" | "failed";
  detail: unknown;
}

interface RunRow {
  id: string;
  kind: RunKind;
  started_at: number;
  finished_at: number | null;
  outcome: RunRecord["outcome"];
  detail: string | null;
}

/** One write per run, at its end: a run that dies before it leaves no row, and its logs say why. */
export async function recordRun(db: D1Database, run: FinishedRun): Promise<void> {
  await db
    .prepare("INSERT INTO runs (id, kind, started_at, finished_at, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(run.id, run.kind, run.startedAt, run.finishedAt, run.outcome, JSON.stringify(run.detail ?? null))
    .run();
}

/** The newest runs of a kind first. */
export async function recentRuns(db: D1Database, kind: RunKind, limit: number): Promise<RunRecord[]> {
  const { results } = await db
    .prepare("SELECT * FROM runs WHERE kind = ? ORDER BY started_at DESC LIMIT ?")
    .bind(kind, limit)
    .all<RunRow>();
  return results.map(toRecord);
}

/** When the newest run of a kind that went well started; null when none did (in the 7 days kept). */
export async function lastOkRunAt(db: D1Database, kind: RunKind): Promise<number | null> {
  // Newest first along the (kind, started_at) index: it stops at the first run that went well.
  const row = await db
    .prepare("SELECT started_at FROM runs WHERE kind = ? AND outcome = 'ok' ORDER BY started_at DESC LIMIT 1")
    .bind(kind)
    .first<{ started_at: number }>();
  return row?.started_at ?? null;
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    detail: parseDetail(row.detail),
  };
}

function parseDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
