import { type DailyPapersDeps, type DailyPapersResult, fetchDailyPapers } from "./client";

/** Where a day's papers come from: Hugging Face in production, the mock in tests (same client). */
export interface PapersSource {
  fetchDay(date: string): Promise<DailyPapersResult>;
}

export function createPapersSource(deps: DailyPapersDeps): PapersSource {
  return { fetchDay: (date) => fetchDailyPapers(deps, date) };
}
