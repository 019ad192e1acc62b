import { createLocalState, d1Execute, type DevWorker, type LocalState, startDevWorker } from "../../test/support/dev-worker";
import { deliveryFaults } from "../../test/support/exactly-once";
import { busyDayPapers, hfItemsOf } from "../../test/support/hf-items";
import type { FaultRates, MockSettings } from "../../test/support/mock-types";
import { type MockUpstream, startMockUpstream } from "../../test/support/mock-upstream";
import { sleep } from "../../test/support/processes";
import { addCounts, d1Counts, type D1Counts, digestStatus, type DigestStatus, dueDailyEdition, triggerCron, triggerSend, waitUntilSettled } from "./admin";
import { callCycle, type CallCycle, cpuMeter, mergeOrigins, replays, type Timeline, timeline } from "./fanout-stats";
import { seedActiveSubscribers } from "./seed";
import { sharedBenchWorker } from "./bundle";

export interface FanoutOptions {
  subscribers: number;
  /** RESEND_MAX_RPS for the Worker. */
  rps: number;
  /** The mock's rate limit in calls per second; defaults to `rps`, 0 means none. */
  mockLimit?: number;
  faults?: FaultRates;
  /** Faults for the first calls, in order, before the `faults` rates apply (see MockSettings). */
  scriptedFaults?: MockSettings["scriptedFaults"];
  seed?: number;
  /** Kill the Worker (SIGKILL, whole process group) once this share of recipients was accepted, then restart it. */
  killAt?: number;
  /** How long a re-drive attempt after the restart may show no progress before the next one is tried. */
  redriveWatchMs?: number;
  /** The daily edition to send; by default the one every 07:00 UTC reader is due for now (`dueDailyEdition`). */
  date?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Receives everything `wrangler dev` printed, each time a Worker process ends. */
  workerOutput?: (text: string) => void;
}

interface RecoveryStep {
  step: string;
  answer: string;
  /** Did recipients get delivered (or chunks settle) within the watch window after this step? */
  progressed: boolean;
}

export interface FanoutResult {
  options: Required<Omit<FanoutOptions, "log" | "workerOutput" | "killAt" | "faults">> & { killAt: number | null; faults: FaultRates };
  /** Trigger to the last call Resend accepted, in ms (across the kill and restart, if any). */
  wallMs: number;
  /** Calls answered 429, as a share of all calls. */
  rateLimitedShare: number;
  /** After a kill: from the restarted Worker answering to the last call Resend accepted, in ms. */
  lastMailAfterRestartMs: number | null;
  /** N / (100 × rps): one Resend batch call of 100 per pacer slot. */
  boundMs: number;
  utilization: number;
  outcome: "settled" | "stalled" | "timeout";
  digest: DigestStatus | null;
  resendCalls: { total: number; byStatus: Record<string, number>; meanRequestBytes: number };
  /** When Resend calls happened, relative to the trigger: first and last call, and the gaps between calls. */
  timeline: Timeline;
  callCycleMs: CallCycle;
  /** Calls answered from the mock's idempotency record: a retry of a send it had already accepted. */
  idempotentReplays: number;
  /** CPU time spent from the trigger to the end: wrangler's processes by name (workerd runs the Worker) and this process (the mock). */
  cpuMs: { worker: Record<string, number>; bench: number };
  /** D1 statements by origin; `pipeline` is everything but the benchmark's own status polls. */
  d1: { pipeline: D1Counts; byOrigin: Record<string, D1Counts> };
  accepted: number;
  duplicates: number;
  misses: number;
  /** Accepted addresses that are not subscribers at all. */
  strangers: number;
  recovery: RecoveryStep[] | null;
  /** Chunk states right after the kill, from D1. */
  atKill: Record<string, number> | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One fan-out: seeds `subscribers` active subscribers (default choices: daily, 07:00 UTC) into a
 * fresh local D1, starts the mock Resend and `wrangler dev`, sends an edition whose slot has passed
 * through the admin API (built, then everyone frozen at once) and waits for the ledger to say it is sent. With `killAt`, the Worker is killed mid-send and restarted on the same state,
 * and the re-drive paths are tried in order: admin send, cron, then the manual step.
 */
export async function runFanout(input: FanoutOptions): Promise<FanoutResult> {
  const options = {
    subscribers: input.subscribers,
    rps: input.rps,
    mockLimit: input.mockLimit ?? input.rps,
    faults: input.faults ?? {},
    scriptedFaults: input.scriptedFaults ?? [],
    seed: input.seed ?? 1,
    killAt: input.killAt ?? null,
    redriveWatchMs: input.redriveWatchMs ?? 20_000,
    date: input.date ?? dueDailyEdition(),
    // Four times the bound, and after a kill the 120 s lease of the chunks that were in flight.
    timeoutMs:
      input.timeoutMs ??
      Math.max(120_000, (input.subscribers / (100 * input.rps)) * 4000 + 60_000) + (input.killAt === undefined ? 0 : 180_000),
  };
  const log = input.log ?? (() => {});
  let state: LocalState | null = null;
  let mock: MockUpstream | null = null;
  let worker: DevWorker | null = null;
  try {
    state = await createLocalState();
    const script = await sharedBenchWorker();
    log(`seeding ${options.subscribers} subscribers`);
    const addresses = await seedActiveSubscribers(state, options.subscribers);
    const papers = hfItemsOf(busyDayPapers(30));
    mock = await startMockUpstream({
      compactBodies: true,
      settings: {
        rateLimitPerSecond: options.mockLimit,
        faults: options.faults,
        scriptedFaults: [...options.scriptedFaults],
        seed: options.seed,
        papers: { [options.date]: papers },
      },
    });
    const vars = {
      RESEND_MAX_RPS: String(options.rps),
      RESEND_BASE_URL: mock.url,
      PAPERS_API_URL: `${mock.url}/api/daily_papers`,
    };
    const start = async (port?: number) => {
      const started = await startDevWorker({ state: state!, script, vars, resendApiKey: "re_bench", ...(port ? { port } : {}) });
      const { stop, kill } = started;
      const keep = () => input.workerOutput?.(started.output());
      return { ...started, stop: () => stop().finally(keep), kill: () => kill().finally(keep) };
    };
    worker = await start();
    const accepted = () => mock!.state.deliveries.length;
    const byOrigin: Record<string, D1Counts>[] = [];

    log(`triggering the edition ${options.date} (${options.subscribers} subscribers, ${options.rps} rps)`);
    const cpu = cpuMeter();
    cpu.start(worker);
    const t0 = Date.now();
    const trigger = await triggerSend(worker.url, options.date);
    if (trigger.status !== 202) throw new Error(`admin send answered ${trigger.status}: ${JSON.stringify(trigger.body)}`);

    let recovery: RecoveryStep[] | null = null;
    let restartedAt: number | null = null;
    let atKill: Record<string, number> | null = null;
    if (options.killAt !== null) {
      const threshold = Math.floor(options.subscribers * options.killAt);
      const deadline = Date.now() + options.timeoutMs;
      while (accepted() < threshold && Date.now() < deadline) await sleep(20);
      log(`killing wrangler dev after ${accepted()} accepted recipients`);
      byOrigin.push(await d1Counts(worker.url).catch(() => ({})));
      cpu.stop(worker);
      await worker.kill();
      atKill = await chunkStates(state, options.date);
      log(`chunks at the kill: ${JSON.stringify(atKill)}`);
      worker = await start(worker.port);
      restartedAt = Date.now();
      cpu.start(worker);
      const collect = async (from: DevWorker) => {
        byOrigin.push(await d1Counts(from.url).catch(() => ({})));
        cpu.stop(from);
      };
      const replace = (next: DevWorker) => {
        worker = next;
        cpu.start(next);
      };
      recovery = await redrive(worker, state, options, { accepted, log, collect, start, replace });
    }

    const settled = await waitUntilSettled(worker.url, options.date, {
      timeoutMs: options.timeoutMs,
      stalledMs: 180_000,
      progress: accepted,
    });
    const digest = (await digestStatus(worker.url, options.date)) ?? settled.status;
    const lastAccepted = Math.max(...mock.state.sends.filter((send) => send.status === 200 || send.status === 0).map((send) => send.at));
    byOrigin.push(await d1Counts(worker.url));
    cpu.stop(worker);
    await worker.stop();
    worker = null;

    const merged = mergeOrigins(byOrigin);
    const pipeline = addCounts(...Object.entries(merged).filter(([origin]) => !origin.startsWith("GET ")).map(([, c]) => c));
    const sends = mock.state.sends.filter((send) => send.path === "/emails/batch");
    const byStatus: Record<string, number> = {};
    for (const send of sends) byStatus[String(send.status)] = (byStatus[String(send.status)] ?? 0) + 1;
    const boundMs = (options.subscribers / (100 * options.rps)) * 1000;
    const wallMs = lastAccepted - t0;
    return {
      options,
      wallMs,
      boundMs,
      utilization: boundMs / wallMs,
      rateLimitedShare: sends.length ? (byStatus["429"] ?? 0) / sends.length : 0,
      lastMailAfterRestartMs: restartedAt === null ? null : lastAccepted - restartedAt,
      outcome: settled.outcome,
      digest,
      resendCalls: { total: sends.length, byStatus, meanRequestBytes: sends.length ? mock.bytesReceived() / sends.length : 0 },
      cpuMs: cpu.totals(),
      timeline: timeline(sends.map((send) => send.at - t0)),
      idempotentReplays: replays(sends),
      callCycleMs: callCycle(mock.timings),
      d1: { pipeline, byOrigin: merged },
      accepted: mock.state.deliveries.length,
      ...deliveryFaults(addresses, mock.state.deliveries),
      recovery,
      atKill,
    };
  } catch (error) {
    if (worker) (error as Error).message += `\n--- wrangler output (tail) ---\n${worker.output().slice(-6000)}`;
    throw error;
  } finally {
    await (worker as DevWorker | null)?.kill();
    await mock?.close();
    await state?.remove();
  }
}

/** What makes a run fail its correctness checks; empty when it passed. */
export function fanoutProblems(result: FanoutResult): string[] {
  const found: string[] = [];
  if (result.outcome !== "settled") found.push(`did not finish (${result.outcome})`);
  if (result.duplicates > 0) found.push(`${result.duplicates} duplicates`);
  if (result.misses > 0) found.push(`${result.misses} misses`);
  if (result.strangers > 0) found.push(`${result.strangers} unknown recipients`);
  if ((result.digest?.chunks.failed ?? 0) > 0) found.push(`${result.digest?.chunks.failed} failed chunks`);
  if ((result.digest?.chunks.unknown ?? 0) > 0) found.push(`${result.digest?.chunks.unknown} chunks of unknown outcome`);
  return found;
}

/**
 * After a restart the queue is empty (local queues live in memory). Tries, in order, what an
 * operator or the platform would: the admin send endpoint (re-drives the edition: its freeze and its
 * unfinished chunks queued again), the cron (its build hour re-drives, its sweep re-queues stalled
 * chunks); then the manual step (the edition back to `ready`, then the admin send again).
 */
async function redrive(
  worker: DevWorker,
  state: LocalState,
  options: { date: string; redriveWatchMs: number },
  hooks: {
    accepted: () => number;
    log: (line: string) => void;
    /** Saves the D1 counts of a Worker about to be stopped. */
    collect: (worker: DevWorker) => Promise<void>;
    start: (port?: number) => Promise<DevWorker>;
    replace: (worker: DevWorker) => void;
  },
): Promise<RecoveryStep[]> {
  const { accepted, log } = hooks;
  const steps: RecoveryStep[] = [];
  const attempt = async (step: string, action: () => Promise<string>) => {
    const before = await progressMark(worker.url, options.date, accepted);
    const answer = await action();
    let progressed = false;
    const until = Date.now() + options.redriveWatchMs;
    while (!progressed && Date.now() < until) {
      await sleep(500);
      progressed = (await progressMark(worker.url, options.date, accepted)) !== before;
    }
    steps.push({ step, answer, progressed });
    log(`re-drive by ${step}: ${answer} -> ${progressed ? "progress" : "no progress"}`);
    return progressed;
  };

  if (await attempt("POST /admin/digests/:date/send", async () => JSON.stringify((await triggerSend(worker.url, options.date)).body)))
    return steps;
  const cronTime = Date.parse(`${options.date}T06:00:00Z`) + DAY_MS;
  if (await attempt("cron */5 (scheduled at D+1 06:00 UTC)", () => triggerCron(worker.url, cronTime))) return steps;
  await attempt("manual: UPDATE digests SET status = 'ready', then POST send", async () => {
    await hooks.collect(worker);
    await worker.stop();
    await d1Execute(state, { command: `UPDATE digests SET status = 'ready' WHERE edition = '${options.date}' AND status = 'sending'` });
    worker = await hooks.start(worker.port);
    hooks.replace(worker);
    return JSON.stringify((await triggerSend(worker.url, options.date)).body);
  });
  return steps;
}

async function progressMark(url: string, date: string, accepted: () => number): Promise<string> {
  const status = await digestStatus(url, date).catch(() => null);
  return `${accepted()}/${status?.chunks.sent}/${status?.chunks.failed}/${status?.status}`;
}

async function chunkStates(state: LocalState, date: string): Promise<Record<string, number>> {
  const rows = (await d1Execute(state, {
    command: `SELECT status, COUNT(*) AS n FROM digest_chunks WHERE edition = '${date}' GROUP BY status`,
  })) as { status: string; n: number }[];
  const [digest] = (await d1Execute(state, { command: `SELECT status FROM digests WHERE edition = '${date}'` })) as { status: string }[];
  return { ...Object.fromEntries(rows.map((row) => [row.status, row.n])), [`digest ${digest?.status}`]: 1 };
}
