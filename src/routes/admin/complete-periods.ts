import { cadenceOf, newestBuildable } from "../../digest/editions";
import { AppError } from "../../http/errors";

export const EDITION_MESSAGE = "Editions are named by their day (YYYY-MM-DD) or, weekly ones, their ISO week (YYYY-Www).";

/**
 * An edition covers a period whose list on Hugging Face is complete: a day from 06:00 UTC the day
 * after, a week from its Sunday (see `editions.ts`). Sending or previewing a later one would mail,
 * or show, a digest of half a period's papers.
 */
export function refuseIncompletePeriod(edition: string, now: number): void {
  const cadence = cadenceOf(edition) ?? "daily";
  const newest = newestBuildable(cadence, now);
  if (edition > newest) {
    const what = cadence === "weekly" ? "week" : "day";
    throw new AppError(400, "day_not_complete", `${edition} is not over yet: the newest ${what} with a complete list of papers is ${newest}.`);
  }
}
