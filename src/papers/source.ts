import { type DailyPapersDeps, type DailyPapersOptions, type DailyPapersResult, fetchDailyPapers } from "./client";

/** Where an edition's papers come from: Hugging Face in production, the mock in tests (same client). */
export interface PapersSource {
  /** A day's list ("YYYY-MM-DD") or a week's ("YYYY-Www"); `options`: e.g. one attempt and a short timeout for a preview someone waits for. */
  fetchPeriod(period: string, options?: DailyPapersOptions): Promise<DailyPapersResult>;
}

export function createPapersSource(deps: DailyPapersDeps): PapersSource {
  return { fetchPeriod: (period, options) => fetchDailyPapers(deps, period, options) };
}

/**
 * No source at all: every period is unavailable at once, without a request. Local development uses it
 * offline (`npm start` found Hugging Face unreachable), where each request would only fail and log.
 */
export const offlinePapersSource: PapersSource = {
  fetchPeriod: async () => ({ ok: false, reason: "unavailable", detail: "offline: PAPERS_SOURCE is \"sample\"", attempts: 0 }),
};
