/**
 * Issue 13's benchmark: readers spread over both cadences, four sizes and 30 topic combinations,
 * against a single-segment run (everyone the default choices) of the same size, each on a fresh
 * Worker. Both send the same two editions of next week on its Monday after, 07:00 UTC on the fake
 * clock: the daily edition of the Sunday (a busy day of papers on every topic) and the weekly edition
 * of the week (the same day plus an earlier one), each built by the cron at its hour (Sunday and
 * Monday 06:00 UTC); the cron's run at 07:00 freezes everyone.
 */
import { isoWeekOf } from "../../src/lib/calendar";
import type { Paper } from "../../src/papers/paper";
import { hfItemsOf } from "../../test/support/hf-items";
import { addCounts, benchEvents, d1Counts, type D1Counts, type DigestStatus, waitUntilSettled } from "./admin";
import { checkReaders, expectationFor, type ReaderCheck, readerProblems } from "./edition-checks";
import { type CronRun, startHarness } from "./edition-harness";
import { choicesOf } from "./reader-mix";
import { percentile } from "./report";
import { type Choices, DEFAULT_CHOICES, seedActiveSubscribers } from "./seed";
import { inStoredOrder, listKey } from "./selection";
import { topicDayPapers, weekPapers } from "./topic-papers";

export interface ChoicesOptions {
  subscribers: number;
  rps: number;
  seed?: number;
  /** Recipients per timed personalisation round (three rounds, the median taken). */
  personaliseRecipients?: number;
  log?: (line: string) => void;
}

interface EditionFigures {
  edition: string;
  cadence: Choices["cadence"];
  readers: number;
  /** Distinct non-empty paper lists among its readers' choices, as the benchmark works them out. */
  expectedLists: number;
  /** Renders the Worker stored for it (each INSERT INTO digest_renderings it ran), and rows it holds. */
  renders: number;
  stored: number;
  unmatchedExpected: number;
  unmatchedReported: number;
  recipients: number;
  status: DigestStatus["status"] | "missing";
}

export interface SegmentResult {
  label: "single segment" | "choices";
  subscribers: number;
  rps: number;
  editions: EditionFigures[];
  run: CronRun;
  /** Calls needed / rps: one call per chunk per pacer slot. */
  boundMs: number;
  /** From the cron's trigger to the last accepted call. */
  wallMs: number;
  utilization: number;
  /** The bound over the sending alone: first call to last, plus one slot. */
  sendUtilization: number;
  d1: D1Counts;
  /** Per rendering of every distinct list, timed again in the Worker after the run (at least 20 renders). */
  renderMs: { renderings: number; median: number; p90: number };
  /** Both tokens, links and topics filled in, headers: recipients drawn from the daily readers' lists and topics. */
  personaliseUsPerRecipient: number;
  readers: ReaderCheck;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (instant: number) => new Date(instant).toISOString().slice(0, 10);

/** The next ISO week's editions: its Sunday's (daily) and its own (weekly), both due on the Monday after at 07:00 UTC. */
function nextMondayMorning(now = Date.now()) {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const weekday = ((new Date(today).getUTCDay() + 6) % 7) + 1; // Monday 1 .. Sunday 7
  const monday = today + (8 - weekday) * DAY_MS;
  const hour = 3_600_000;
  return {
    daily: isoDay(monday + 6 * DAY_MS),
    weekly: isoWeekOf(monday).id,
    wednesday: isoDay(monday + 2 * DAY_MS),
    weeklyBuild: monday + 6 * DAY_MS + 6 * hour,
    dailyBuild: monday + 7 * DAY_MS + 6 * hour,
    at: monday + 7 * DAY_MS + 7 * hour,
  };
}

/** The single segment first, then the choices, each on a fresh Worker and state. */
export async function runChoices(options: ChoicesOptions): Promise<{ single: SegmentResult; choices: SegmentResult }> {
  const single = await runSegment("single segment", options);
  const choices = await runSegment("choices", options);
  return { single, choices };
}

/** One run: everyone the default choices (`single segment`) or issue 13's mix (`choices`). */
export async function runSegment(label: SegmentResult["label"], options: ChoicesOptions): Promise<SegmentResult> {
  const choose = label === "choices" ? choicesOf(options.seed ?? 1) : () => DEFAULT_CHOICES;
  const log = options.log ?? (() => {});
  const calendar = nextMondayMorning();
  const day = topicDayPapers();
  const earlier = weekPapers();
  const editions = [calendar.daily, calendar.weekly];
  log(`${label}: ${options.subscribers} readers, editions ${editions.join(" and ")} due ${new Date(calendar.at).toISOString()}`);
  const harness = await startHarness({
    rps: options.rps,
    log,
    papers: { [calendar.daily]: hfItemsOf(day), [calendar.wednesday]: hfItemsOf(earlier) },
    seed: (state) => seedActiveSubscribers(state, options.subscribers, choose),
  });
  try {
    const url = harness.worker.url;
    // The cron builds each edition at its hour: the weekly one on Sunday 06:00 UTC, the Sunday's on Monday 06:00.
    await harness.buildAt(calendar.weeklyBuild, [calendar.weekly]);
    await harness.buildAt(calendar.dailyBuild, [calendar.daily]);
    const timeoutMs = Math.max(120_000, (options.subscribers / (100 * options.rps)) * 4000 + 60_000);
    log(`${label}: the cron at ${new Date(calendar.at).toISOString()} freezes everyone`);
    const run = await harness.cronAt(calendar.at, editions, { timeoutMs });
    const statuses = await Promise.all(editions.map((edition) => waitUntilSettled(url, edition, { timeoutMs: 120_000, stalledMs: 60_000 })));
    const [daily, weekly] = statuses.map((settled) => settled.status);
    const ranked = new Map([
      ["daily", { edition: calendar.daily, papers: inStoredOrder(day, daily?.papers.map((paper) => paper.id) ?? []) }],
      ["weekly", { edition: calendar.weekly, papers: inStoredOrder([...day, ...earlier], weekly?.papers.map((paper) => paper.id) ?? []) }],
    ] as const);
    const expectation = expectationFor(options.subscribers, choose, new Map(ranked));
    const { renders } = await benchEvents(url);
    const renderMs = await timeRenders(url, expectation.editions);
    const personaliseUsPerRecipient = await timePersonalise(url, calendar.daily, options, choose, expectation);
    const counts = await d1Counts(url);
    await harness.stopWorker();
    const stored = await harness.query<{ edition: string; n: number }>("SELECT edition, COUNT(*) AS n FROM digest_renderings GROUP BY edition");
    const boundMs = (run.chunks / options.rps) * 1000;
    const wallMs = run.lastCallMs ?? Infinity;
    return {
      label,
      subscribers: options.subscribers,
      rps: options.rps,
      editions: editions.map((edition, index): EditionFigures => {
        const expected = expectation.editions.get(edition)!;
        return {
          edition,
          cadence: expected.cadence,
          readers: expected.readers,
          expectedLists: expected.lists,
          renders: renders[edition] ?? 0,
          stored: stored.find((row) => row.edition === edition)?.n ?? 0,
          unmatchedExpected: expected.unmatched,
          unmatchedReported: statuses[index]!.status?.unmatched ?? -1,
          recipients: statuses[index]!.status?.recipients ?? 0,
          status: statuses[index]!.status?.status ?? "missing",
        };
      }),
      run,
      boundMs,
      wallMs,
      utilization: boundMs / wallMs,
      sendUtilization: boundMs / ((run.lastCallMs ?? Infinity) - (run.firstCallMs ?? 0) + 1000 / options.rps),
      d1: addCounts(...Object.entries(counts).filter(([origin]) => !origin.startsWith("GET ")).map(([, count]) => count)),
      renderMs,
      personaliseUsPerRecipient,
      readers: checkReaders(options.subscribers, expectation, harness.mock.state.deliveries),
    };
  } finally {
    await harness.close();
  }
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every distinct list of every edition rendered again in the Worker that just sent them, at least 20 renders in all. */
async function timeRenders(url: string, editions: ReturnType<typeof expectationFor>["editions"]): Promise<SegmentResult["renderMs"]> {
  const lists = [...editions.values()].reduce((sum, { papersByList }) => sum + papersByList.length, 0);
  const iterations = Math.max(2, Math.ceil(20 / Math.max(1, lists)));
  const times: number[] = [];
  for (const [edition, { papersByList }] of editions) {
    if (papersByList.length === 0) continue;
    const answer = await post<{ times: number[] }>(`${url}/__bench/render`, { lists: papersByList, iterations, edition });
    times.push(...answer.times);
  }
  times.sort((a, b) => a - b);
  return { renderings: lists, median: percentile(times, 0.5), p90: percentile(times, 0.9) };
}

/** The daily edition's readers as they come (their list and topics), personalised in batches of 100: µs per recipient, median of three rounds. */
async function timePersonalise(
  url: string,
  edition: string,
  options: ChoicesOptions,
  choose: (n: number) => Choices,
  expectation: ReturnType<typeof expectationFor>,
): Promise<number> {
  const lists: Paper[][] = expectation.editions.get(edition)!.papersByList;
  const indexOf = new Map(lists.map((papers, index) => [listKey(papers), index]));
  const members: [number, readonly string[]][] = [];
  for (let n = 1; n <= options.subscribers && members.length < 2000; n++) {
    const list = expectation.listOf(n);
    if (choose(n).cadence === "daily" && list.length > 0) members.push([indexOf.get(listKey(list))!, choose(n).topics]);
  }
  const recipients = options.personaliseRecipients ?? 10_000;
  const body = { lists, members, recipients, encode: false, edition };
  await post(`${url}/__bench/personalise`, { ...body, recipients: Math.min(1000, recipients) }); // warm-up
  const rounds: number[] = [];
  for (let i = 0; i < 3; i++) rounds.push(((await post<{ ms: number }>(`${url}/__bench/personalise`, body)).ms * 1000) / recipients);
  return rounds.sort((a, b) => a - b)[1]!;
}

/** What makes a segment fail its checks; empty when it passed. */
export function segmentProblems(result: SegmentResult): string[] {
  const found = readerProblems(result.readers).map((problem) => `${result.label}: ${problem}`);
  if (result.run.outcome !== "settled") found.push(`${result.label}: the fan-out ${result.run.outcome}`);
  for (const edition of result.editions) {
    const name = `${result.label} ${edition.edition}`;
    if (edition.readers > 0 && edition.status !== "sent") found.push(`${name}: ${edition.status}, not sent`);
    if (edition.renders !== edition.expectedLists) found.push(`${name}: ${edition.renders} renders for ${edition.expectedLists} distinct lists`);
    if (edition.stored !== edition.expectedLists) found.push(`${name}: ${edition.stored} renderings stored for ${edition.expectedLists} distinct lists`);
    if (edition.unmatchedReported !== edition.unmatchedExpected)
      found.push(`${name}: ${edition.unmatchedReported} unmatched reported, ${edition.unmatchedExpected} expected`);
  }
  return found;
}
