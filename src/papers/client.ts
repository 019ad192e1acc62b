/**
 * The Hugging Face Daily Papers client: every page of one day, each request retried on its own.
 *
 * Upstream trouble never throws. The caller gets `{ ok: false }` with a reason and decides what
 * to do (skip the day, try again later); only a programming error, such as a malformed date, throws.
 * A day is all or nothing: a digest ranked on half the papers would silently be the wrong digest.
 */
import { isCalendarDay, isIsoWeek } from "../lib/calendar";
import type { Sleep } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Paper } from "./paper";
import { DailyPapersShapeError, parseDailyPapers } from "./schema";

export interface DailyPapersDeps {
  fetch: typeof fetch;
  /** The endpoint, e.g. "https://huggingface.co/api/daily_papers". */
  baseUrl: string;
  /** Waits between attempts; tests pass a no-op. */
  sleep?: Sleep;
  /** Told of every notable event (dropped item, retry). */
  log?: Logger;
}

export interface DailyPapersOptions {
  /** Tries per page, the first one included. */
  maxAttempts?: number;
  /** Per request, reading the body included. */
  timeoutMs?: number;
  /** Items asked for per page (`limit`); the API answers at most 100. */
  pageSize?: number;
  /** Stops paging after this many pages, in case the upstream never answers an empty page. */
  maxPages?: number;
}

type DailyPapersFailure = { ok: false; reason: "unavailable" | "invalid_response"; detail: string };
/** `attempts`: every request made for the day, retries included (what an operator sees as the source's attempts). */
export type DailyPapersResult = ({ ok: true; papers: Paper[]; dropped: number } | DailyPapersFailure) & { attempts: number };

const DEFAULTS: Required<DailyPapersOptions> = { maxAttempts: 4, timeoutMs: 10_000, pageSize: 100, maxPages: 20 };
const BASE_DELAY_MS = 1_000;
/** Also caps `retry-after`: a cron run should not sleep for minutes on one header. */
const MAX_DELAY_MS = 30_000;

/**
 * All papers listed for `date` (a day, or an ISO week `YYYY-Www`), asking for `p=0`, `p=1`, … until a page comes back empty.
 *
 * @example
 * const result = await fetchDailyPapers({ fetch, baseUrl: "https://huggingface.co/api/daily_papers" }, "2026-03-17");
 * if (result.ok) rankPapers(result.papers, { size: 10 });
 */
export async function fetchDailyPapers(
  deps: DailyPapersDeps,
  date: string,
  options: DailyPapersOptions = {},
): Promise<DailyPapersResult> {
  if (!isCalendarDay(date) && !isIsoWeek(date))
    throw new RangeError(`date must be a calendar day as YYYY-MM-DD or an ISO week as YYYY-Www, got ${JSON.stringify(date)}`);
  const settings = readOptions(options);
  const papers: Paper[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  let attempts = 0;

  for (let page = 0; page < settings.maxPages; page++) {
    const answer = await getJson(deps, pageUrl(deps.baseUrl, date, settings.pageSize, page), settings);
    attempts += answer.attempts;
    if (!answer.ok) return { ...answer, detail: `page ${page}: ${answer.detail}`, attempts };
    let parsed: ReturnType<typeof parseDailyPapers>;
    try {
      parsed = parseDailyPapers(answer.json);
    } catch (error) {
      if (!(error instanceof DailyPapersShapeError)) throw error;
      return { ok: false, reason: "invalid_response", detail: `page ${page}: ${error.message}`, attempts };
    }
    if (parsed.papers.length === 0 && parsed.dropped.length === 0) return { ok: true, papers, dropped, attempts };

    for (const item of parsed.dropped) deps.log?.warn("papers.item_dropped", { date, page, ...item });
    dropped += parsed.dropped.length;
    const before = papers.length;
    for (const paper of parsed.papers) {
      if (seen.has(paper.id)) continue;
      seen.add(paper.id);
      papers.push(paper);
    }
    // An upstream that ignores `p` answers the first page forever; stop instead of looping.
    if (parsed.papers.length > 0 && papers.length === before) {
      deps.log?.warn("papers.page_repeated", { date, page });
      return { ok: true, papers, dropped, attempts };
    }
  }
  deps.log?.warn("papers.page_cap_reached", { date, maxPages: settings.maxPages });
  return { ok: true, papers, dropped, attempts };
}

function readOptions(options: DailyPapersOptions): Required<DailyPapersOptions> {
  const settings: Required<DailyPapersOptions> = {
    maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    pageSize: options.pageSize ?? DEFAULTS.pageSize,
    maxPages: options.maxPages ?? DEFAULTS.maxPages,
  };
  for (const [name, value] of Object.entries(settings))
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1, got ${value}`);
  if (settings.pageSize > 100) throw new RangeError(`pageSize must be at most 100, got ${settings.pageSize}`);
  return settings;
}

function pageUrl(baseUrl: string, date: string, pageSize: number, page: number): string {
  const url = new URL(baseUrl);
  // A week's list is Hugging Face's own (`?week=`); paperboy ranks whatever it holds.
  url.searchParams.set(isIsoWeek(date) ? "week" : "date", date);
  url.searchParams.set("limit", String(pageSize));
  url.searchParams.set("p", String(page));
  return url.href;
}

type Attempt =
  | { done: true; result: { ok: true; json: unknown } | DailyPapersFailure }
  | { done: false; problem: string; retryAfterMs: number | null };

/** One page, retried with exponential backoff (or the server's `retry-after`) while it may still work. */
async function getJson(
  deps: DailyPapersDeps,
  url: string,
  settings: Required<DailyPapersOptions>,
): Promise<({ ok: true; json: unknown } | DailyPapersFailure) & { attempts: number }> {
  const sleep = deps.sleep ?? wait;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(deps.fetch, url, settings.timeoutMs);
    if (outcome.done) return { ...outcome.result, attempts: attempt };
    if (attempt >= settings.maxAttempts)
      return { ok: false, reason: "unavailable", detail: `${outcome.problem}; gave up after ${attempt} attempts`, attempts: attempt };
    const delayMs = outcome.retryAfterMs ?? Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
    deps.log?.warn("papers.retry", { url, attempt, problem: outcome.problem, delayMs });
    await sleep(delayMs);
  }
}

// `fetch` arrives detached on purpose: a Worker's fetch called as a method of another object
// throws "Illegal invocation".
async function attemptOnce(fetchFn: typeof fetch, url: string, timeoutMs: number): Promise<Attempt> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchFn(url, { headers: { accept: "application/json" }, signal });
    if (response.ok) return parseJson(await response.text());
    await response.body?.cancel().catch(() => {});
    return classifyStatus(response);
  } catch (error) {
    const problem = signal.aborted ? `no answer within ${timeoutMs} ms` : `network error: ${String(error)}`;
    return { done: false, problem, retryAfterMs: null };
  }
}

function parseJson(text: string): Attempt & { done: true } {
  try {
    return { done: true, result: { ok: true, json: JSON.parse(text) } };
  } catch {
    const start = text.slice(0, 60).replace(/\s+/g, " ");
    return { done: true, result: { ok: false, reason: "invalid_response", detail: `answer is not JSON: ${JSON.stringify(start)}` } };
  }
}

function classifyStatus(response: Response): Attempt {
  const { status } = response;
  const problem = `upstream answered HTTP ${status}`;
  if (status === 429) return { done: false, problem, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) };
  if (status === 408 || status >= 500) return { done: false, problem, retryAfterMs: null };
  // Any other 4xx means the request itself is wrong: asking again cannot help.
  return { done: true, result: { ok: false, reason: "unavailable", detail: problem } };
}

/** `retry-after` in milliseconds (delta-seconds or an HTTP date), capped; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const text = header.trim();
  // HTTP dates always end in "GMT"; requiring it keeps Date.parse's guesswork ("-5" is a year) out.
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /GMT$/.test(text) ? Date.parse(text) - now : Number.NaN;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_DELAY_MS) : null;
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
