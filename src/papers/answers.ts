/**
 * The paper source's last answer, kept as the `service_answers` row 'papers' so the health panel
 * can say when Hugging Face last answered and how. Written each time it is asked, read by the panel.
 */
import type { Logger } from "../lib/logger";
import type { DailyPapersResult } from "./client";

const SERVICE = "papers";

/** `papers`: how many it listed; `error`: why it could not be used (the HTTP status is in the text). */
export type PapersAnswerDetail = { papers: number; dropped: number; attempts: number } | { error: string; attempts: number };

export interface PapersAnswer {
  at: number;
  ok: boolean;
  detail: PapersAnswerDetail;
}

/**
 * Records what the source answered at `at`. Bookkeeping only: when it cannot be written, the build
 * or preview that asked goes on, and one line says so. A result that asked nobody (the offline
 * source) is not an answer and changes nothing.
 */
export async function recordPapersAnswer(deps: { db: D1Database; log: Logger }, result: DailyPapersResult, at: number): Promise<void> {
  if (result.attempts === 0) return;
  const detail: PapersAnswerDetail = result.ok
    ? { papers: result.papers.length, dropped: result.dropped, attempts: result.attempts }
    : { error: `${result.reason}: ${result.detail}`, attempts: result.attempts };
  try {
    await deps.db
      .prepare(
        `INSERT INTO service_answers (service, at, ok, detail) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (service) DO UPDATE SET at = excluded.at, ok = excluded.ok, detail = excluded.detail`,
      )
      .bind(SERVICE, at, result.ok ? 1 : 0, JSON.stringify(detail))
      .run();
  } catch (error) {
    deps.log.error("papers answer not recorded", { error: String(error) });
  }
}

/** The source's last answer; null when it was never asked (or not since the table was made). */
export async function lastPapersAnswer(db: D1Database): Promise<PapersAnswer | null> {
  const row = await db
    .prepare("SELECT at, ok, detail FROM service_answers WHERE service = ?")
    .bind(SERVICE)
    .first<{ at: number; ok: number; detail: string | null }>();
  if (!row) return null;
  return { at: row.at, ok: row.ok === 1, detail: JSON.parse(row.detail ?? "{}") as PapersAnswerDetail };
}
