import { type DailyPapersDeps, type DailyPapersOptions, type DailyPapersResult, fetchDailyPapers } from "./client";

/** Where a day's papers come from: Hugging Face in production, the mock in tests (same client). */
export interface PapersSource {
  /** `options`: e.g. one attempt and a short timeout for a preview someone waits for. */
  fetchDay(date: string, options?: DailyPapersOptions): Promise<DailyPapersResult>;
}

export function createPapersSource(deps: DailyPapersDeps): PapersSource {
  return { fetchDay: (date, options) => fetchDailyPapers(deps, date, options) };
}

/**
 * No source at all: every day is unavailable at once, without a request. Local development uses it
 * offline (`npm start` found Hugging Face unreachable), where each request would only fail and log.
 */
export const offlinePapersSource: PapersSource = {
  fetchDay: async () => ({ ok: false, reason: "unavailable", detail: "offline: PAPERS_SOURCE is \"sample\"", attempts: 0 }),
};
