/**
 * Issue 14's benchmark: daily readers over 40 time zones and the hours 06–10, one daily edition,
 * and the cron played on a fake clock through the whole day its readers' mornings fall in (from
 * 06:00 UTC the day after the edition's day, when a run builds it, 26 hours), every 15 (or 5) minutes, each run waited on
 * until the readers it froze were sent. Per slot: readers, freeze time, utilization; for the
 * edition: renders against distinct lists, and every reader reached exactly once at their hour.
 */
import { hfItemsOf } from "../../test/support/hf-items";
import { addCounts, benchEvents, d1Counts, type D1Counts, d1Statements, type DigestStatus, type StatementRows, waitUntilSettled } from "./admin";
import { checkReaders, expectationFor, type ReaderCheck, readerProblems } from "./edition-checks";
import { type CronRun, startHarness } from "./edition-harness";
import { morningsOf } from "./reader-mix";
import { percentile } from "./report";
import { seedActiveSubscribers } from "./seed";
import { inStoredOrder } from "./selection";
import { topicDayPapers } from "./topic-papers";

export interface MorningsOptions {
  subscribers: number;
  rps: number;
  /** Minutes between cron runs on the fake clock: 15 (every freeze) or 5 (every run of the real cron). */
  stepMinutes?: number;
  /** Hours of fake clock, from 06:00 UTC the day after the edition's day. */
  hours?: number;
  seed?: number;
  log?: (line: string) => void;
}

interface SlotFigures {
  slot: string;
  /** Zone and hour of each delivery group the slot's readers came from, e.g. "Asia/Tokyo 07". */
  groups: string[];
  recipients: number;
  chunks: number;
  freezeMs: number;
  lastCallMs: number;
  /** Chunks / rps over the time from the cron's trigger to the slot's last accepted call. */
  utilization: number;
}

export interface MorningsResult {
  options: Required<Omit<MorningsOptions, "log">>;
  edition: string;
  status: DigestStatus["status"] | "missing";
  runs: number;
  /** Quarter-hour runs that froze nobody: trigger to freeze written. */
  idleFreezeMs: { median: number; max: number };
  slots: SlotFigures[];
  expectedLists: number;
  renders: number;
  stored: number;
  readers: ReaderCheck;
  /** Deliveries whose slot, in the reader's zone, is not their hour on the dot (checked with Node's Intl). */
  offTheirHour: number;
  /** Statements of everything but the benchmark's polls, and of the cron runs alone. */
  d1: { pipeline: D1Counts; scheduled: D1Counts; topReads: StatementRows[] };
  /** Over every slot with readers: calls needed / rps against the sum of the slots' trigger-to-last-call times. */
  utilization: number;
}

const HOUR_MS = 3_600_000;

export async function runMornings(input: MorningsOptions): Promise<MorningsResult> {
  const options = { stepMinutes: 15, hours: 26, seed: 1, ...input };
  const log = input.log ?? (() => {});
  // Two days ahead: the build's own freeze (real time) freezes nobody; the fake clock brings every morning.
  const edition = new Date(Date.now() + 2 * 24 * HOUR_MS).toISOString().slice(0, 10);
  const start = Date.parse(`${edition}T06:00:00Z`) + 24 * HOUR_MS;
  const choose = morningsOf(options.seed);
  const papers = topicDayPapers();
  const harness = await startHarness({
    rps: options.rps,
    log,
    papers: { [edition]: hfItemsOf(papers) },
    seed: (state) => seedActiveSubscribers(state, options.subscribers, choose),
  });
  try {
    const url = harness.worker.url;
    // The cron's first run in the edition's build window builds it; the day's runs start at that same instant.
    await harness.buildAt(start, [edition]);
    const runs: CronRun[] = [];
    const timeoutMs = Math.max(120_000, (options.subscribers / (100 * options.rps)) * 4000);
    for (let time = start; time < start + options.hours * HOUR_MS; time += options.stepMinutes * 60_000) {
      const run = await harness.cronAt(time, [edition], { timeoutMs });
      runs.push(run);
      if (run.recipients > 0) log(`${run.slot}: ${run.recipients} readers in ${run.chunks} chunks, frozen in ${run.freezeMs} ms, last call at ${run.lastCallMs} ms`);
      if (run.outcome !== "settled") throw new Error(`slot ${run.slot} ${run.outcome}: ${run.delivered} of ${run.recipients} delivered`);
    }
    const settled = await waitUntilSettled(url, edition, { timeoutMs: 120_000, stalledMs: 60_000 });
    const ranked = new Map([["daily", { edition, papers: inStoredOrder(papers, settled.status?.papers.map((paper) => paper.id) ?? []) }]] as const);
    const expectation = expectationFor(options.subscribers, choose, new Map(ranked));
    const { renders } = await benchEvents(url);
    const counts = await d1Counts(url);
    const statements = await d1Statements(url);
    await harness.stopWorker();
    const [stored] = await harness.query<{ n: number }>(`SELECT COUNT(*) AS n FROM digest_renderings WHERE edition = '${edition}'`);
    const deliveries = harness.mock.state.deliveries;
    const slots = slotFigures(runs, deliveries, choose, options.rps);
    const idle = runs.filter((run) => run.recipients === 0 && run.freezeMs !== null).map((run) => run.freezeMs!).sort((a, b) => a - b);
    const busy = runs.filter((run) => run.recipients > 0);
    return {
      options,
      edition,
      status: settled.status?.status ?? "missing",
      runs: runs.length,
      idleFreezeMs: { median: percentile(idle, 0.5), max: idle.at(-1) ?? 0 },
      slots,
      expectedLists: expectation.editions.get(edition)!.lists,
      renders: renders[edition] ?? 0,
      stored: stored?.n ?? 0,
      readers: checkReaders(options.subscribers, expectation, deliveries),
      offTheirHour: offTheirHour(deliveries, choose),
      d1: {
        pipeline: addCounts(...Object.entries(counts).filter(([origin]) => !origin.startsWith("GET ")).map(([, count]) => count)),
        scheduled: counts.scheduled ?? addCounts(),
        topReads: statements.slice(0, 5),
      },
      utilization:
        busy.reduce((sum, run) => sum + (run.chunks / options.rps) * 1000, 0) / busy.reduce((sum, run) => sum + (run.lastCallMs ?? Infinity), 0),
    };
  } finally {
    await harness.close();
  }
}

const readerOf = (address: string) => Number(/^reader(\d+)@/.exec(address)?.[1] ?? NaN);
const slotOf = (key: string | null) => /\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z)\//.exec(key ?? "")?.[1] ?? "";

function slotFigures(runs: CronRun[], deliveries: { to: string; idempotencyKey: string | null }[], choose: ReturnType<typeof morningsOf>, rps: number): SlotFigures[] {
  const groups = new Map<string, Set<string>>();
  for (const delivery of deliveries) {
    const choices = choose(readerOf(delivery.to));
    const slot = slotOf(delivery.idempotencyKey);
    groups.set(slot, (groups.get(slot) ?? new Set()).add(`${choices.timezone} ${String(choices.hour).padStart(2, "0")}`));
  }
  return runs
    .filter((run) => run.recipients > 0)
    .map((run) => ({
      slot: run.slot,
      groups: [...(groups.get(run.slot) ?? [])].sort(),
      recipients: run.recipients,
      chunks: run.chunks,
      freezeMs: run.freezeMs ?? 0,
      lastCallMs: run.lastCallMs ?? 0,
      utilization: (run.chunks / rps) * 1000 / (run.lastCallMs ?? Infinity),
    }));
}

/** Readers whose slot is not their delivery hour, on the dot, in their own zone: the benchmark's own reading of the clock. */
function offTheirHour(deliveries: { to: string; idempotencyKey: string | null }[], choose: ReturnType<typeof morningsOf>): number {
  const formats = new Map<string, Intl.DateTimeFormat>();
  const seen = new Map<string, string>();
  let off = 0;
  for (const delivery of deliveries) {
    const { timezone, hour } = choose(readerOf(delivery.to));
    const slot = slotOf(delivery.idempotencyKey);
    const key = `${timezone} ${slot}`;
    let local = seen.get(key);
    if (local === undefined) {
      let format = formats.get(timezone);
      if (!format) formats.set(timezone, (format = new Intl.DateTimeFormat("en-GB", { timeZone: timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })));
      seen.set(key, (local = format.format(Date.parse(slot))));
    }
    if (local !== `${String(hour).padStart(2, "0")}:00`) off += 1;
  }
  return off;
}

/** What makes a run fail its checks; empty when it passed. */
export function morningsProblems(result: MorningsResult): string[] {
  const found = readerProblems(result.readers);
  if (result.status !== "sent") found.push(`the edition is ${result.status}, not sent`);
  if (result.renders !== result.expectedLists) found.push(`${result.renders} renders for ${result.expectedLists} distinct lists`);
  if (result.stored !== result.expectedLists) found.push(`${result.stored} renderings stored for ${result.expectedLists} distinct lists`);
  if (result.offTheirHour > 0) found.push(`${result.offTheirHour} emails sent at another hour than their reader's`);
  return found;
}
