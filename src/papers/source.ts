import { type DailyPapersDeps, type DailyPapersResult, fetchDailyPapers } from "./client";

/** Where an edition's papers come from: Hugging Face in production, the mock in tests (same client). */
export interface PapersSource {
  /** A day's list ("YYYY-MM-DD") or a week's ("YYYY-Www"). */
  fetchPeriod(period: string): Promise<DailyPapersResult>;
}

export function createPapersSource(deps: DailyPapersDeps): PapersSource {
  return { fetchPeriod: (period) => fetchDailyPapers(deps, period) };
}
