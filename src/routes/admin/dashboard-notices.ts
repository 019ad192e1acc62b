import { isCalendarDay, isIsoWeek } from "../../lib/calendar";

/**
 * What the dashboard says after an action (Post/Redirect/Get): the action redirects to
 * `/admin?notice=<code>&edition=…&count=…`, and the page words it from this fixed list, so a link
 * cannot make the dashboard say anything else.
 */
export type NoticeCode =
  | "retried"
  | "nothing_to_retry"
  | "built"
  | "redriven"
  | "unchanged"
  | "waiting"
  | "skipped"
  | "erased"
  | "lifted"
  | "imported";

export function noticeHref(code: NoticeCode, details: { edition?: string; count?: number; rejected?: number } = {}, anchor = "editions"): string {
  const query = new URLSearchParams({ notice: code });
  if (details.edition) query.set("edition", details.edition);
  if (details.count !== undefined) query.set("count", details.rejected === undefined ? String(details.count) : `${details.count}-${details.rejected}`);
  return `/admin?${query}#${anchor}`;
}

export function noticeFor(query: { notice?: string; edition?: string; count?: string }): string | null {
  const edition = query.edition && (isCalendarDay(query.edition) || isIsoWeek(query.edition)) ? query.edition : "the edition";
  const [count = 0, rejected = 0] = (/^\d{1,7}(-\d{1,7})?$/.test(query.count ?? "") ? query.count!.split("-") : []).map(Number);
  const chunks = `${count} chunk${count === 1 ? "" : "s"}`;
  switch (query.notice) {
    case "retried":
      return `${chunks} of ${edition} queued again: their readers get it once, as before.`;
    case "nothing_to_retry":
      return `${edition} has no failed chunk to retry.`;
    case "built":
      return `${edition} is built: each reader gets it at their morning.`;
    case "redriven":
      return `${edition} re-driven: ${chunks} not yet settled were queued again.`;
    case "unchanged":
      return `${edition} was already settled: nothing to send.`;
    case "waiting":
      return `Hugging Face did not answer for ${edition}: the cron tries again every five minutes.`;
    case "skipped":
      return `${edition} was skipped: there are no papers to send.`;
    case "erased":
      return "The reader's data is erased; the address stays suppressed.";
    case "lifted":
      return "The suppression is lifted: the address can sign up again (nothing was sent).";
    case "imported":
      return `Imported ${count} new address${count === 1 ? "" : "es"} (${rejected} row${rejected === 1 ? "" : "s"} refused); each new one gets a confirmation.`;
    default:
      return null;
  }
}
