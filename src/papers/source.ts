import { type DailyPapersDeps, type DailyPapersOptions, type DailyPapersResult, fetchDailyPapers } from "./client";

/** Where a day's papers come from: Hugging Face in production, the mock in tests (same client). */
export interface PapersSource {
  /** `options`: e.g. one attempt and a short timeout for a preview someone waits for. */
  fetchDay(date: string, options?: DailyPapersOptions): Promise<DailyPapersResult>;
}

export function createPapersSource(deps: DailyPapersDeps): PapersSource {
  return { fetchDay: (date, options) => fetchDailyPapers(deps, date, options) };
}
