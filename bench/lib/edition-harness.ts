/**
 * What the editions benchmarks share: a fresh local D1 seeded with readers, the mock Resend and
 * Hugging Face, the counting Worker in `wrangler dev`, and the cron played on a fake clock
 * (`?time=`): editions built by its run at their build hour, and each run waited on until the
 * readers it froze were sent.
 */
import { createLocalState, d1Execute, type DevWorker, type LocalState, startDevWorker } from "../../test/support/dev-worker";
import { type MockUpstream, startMockUpstream } from "../../test/support/mock-upstream";
import { sleep } from "../../test/support/processes";
import { benchEvents, digestStatus, type FreezeEvent, triggerCron } from "./admin";
import { sharedBenchWorker } from "./bundle";

export interface HarnessOptions {
  rps: number;
  /** Hugging Face items by UTC day, as the mock serves them. */
  papers: Record<string, unknown[]>;
  /** Seeds the readers into the fresh state; returns their addresses. */
  seed: (state: LocalState) => Promise<string[]>;
  log: (line: string) => void;
}

const QUARTER_MS = 15 * 60 * 1000;
const quarterOf = (time: number) => Math.floor(time / QUARTER_MS) * QUARTER_MS;
/** How an Idempotency-Key names a slot: `digest/<edition>/<slot>/<chunk>`, the slot as `2026-12-14T07:00Z`. */
const slotName = (time: number) => `${new Date(quarterOf(time)).toISOString().slice(0, 16)}Z`;
const KEY = /^digest\/([^/]+)\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z)\/\d+$/;

/** One cron run on the fake clock, as the benchmark saw it. */
export interface CronRun {
  /** The fake instant the cron ran for (ms). */
  time: number;
  slot: string;
  /** Real time the cron was triggered (ms since the epoch). */
  triggeredAt: number;
  /** The freeze parts this run's freezes wrote, of every edition. */
  freezes: FreezeEvent[];
  /** From the trigger to the last freeze part written (the slot's chunks exist); null for a run that is not a quarter hour's. */
  freezeMs: number | null;
  chunks: number;
  recipients: number;
  unmatched: number;
  /** From the trigger to the first and the last accepted Resend call of the slot. */
  firstCallMs: number | null;
  lastCallMs: number | null;
  /** Recipients of the slot the mock accepted by the time the run was done with. */
  delivered: number;
  outcome: "settled" | "stalled" | "timeout";
}

/** Counts the mock's accepted digest recipients and calls by slot, reading only what is new each time. */
class SlotTracker {
  private deliveriesSeen = 0;
  private sendsSeen = 0;
  readonly delivered = new Map<string, number>();
  readonly calls = new Map<string, { first: number; last: number; count: number }>();
  private readonly mock: MockUpstream;
  constructor(mock: MockUpstream) {
    this.mock = mock;
  }

  update(): void {
    const { deliveries, sends } = this.mock.state;
    for (; this.deliveriesSeen < deliveries.length; this.deliveriesSeen++) {
      const slot = KEY.exec(deliveries[this.deliveriesSeen]!.idempotencyKey ?? "")?.[2];
      if (slot) this.delivered.set(slot, (this.delivered.get(slot) ?? 0) + 1);
    }
    for (; this.sendsSeen < sends.length; this.sendsSeen++) {
      const send = sends[this.sendsSeen]!;
      const slot = KEY.exec(send.idempotencyKey ?? "")?.[2];
      if (!slot || (send.status !== 200 && send.status !== 0)) continue;
      const calls = this.calls.get(slot) ?? { first: send.at, last: send.at, count: 0 };
      calls.last = Math.max(calls.last, send.at);
      calls.count += 1;
      this.calls.set(slot, calls);
    }
  }
}

export interface Harness {
  state: LocalState;
  mock: MockUpstream;
  worker: DevWorker;
  addresses: string[];
  /**
   * Runs the cron as of `time`, an hour whose build window is open for `editions` (the admin API
   * builds only periods that are over by the real clock), and waits until each is built and its own
   * freeze has run. That freeze follows the Worker's clock, not the cron's, so on a fake clock it
   * freezes nobody: the readers due at `time` are frozen by the next run at `time`.
   */
  buildAt(time: number, editions: string[]): Promise<void>;
  /** Runs the cron as of `time` and waits until the freezes it asked for are written and their readers sent. */
  cronAt(time: number, editions: string[], options?: { timeoutMs?: number; stalledMs?: number }): Promise<CronRun>;
  /** Stops the Worker (the D1 state stays readable with `query`). */
  stopWorker(): Promise<void>;
  query<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  let state: LocalState | null = null;
  let mock: MockUpstream | null = null;
  let worker: DevWorker | null = null;
  try {
    state = await createLocalState();
    const [script, addresses] = await Promise.all([sharedBenchWorker(), options.seed(state)]);
    options.log(`seeded ${addresses.length} readers`);
    mock = await startMockUpstream({ compactBodies: true, settings: { rateLimitPerSecond: options.rps, papers: options.papers } });
    const vars = { RESEND_MAX_RPS: String(options.rps), RESEND_BASE_URL: mock.url, PAPERS_API_URL: `${mock.url}/api/daily_papers` };
    worker = await startDevWorker({ state, script, vars, resendApiKey: "re_bench" });
    return harness(state, mock, worker, addresses, options);
  } catch (error) {
    await worker?.kill();
    await mock?.close();
    await state?.remove();
    throw error;
  }
}

function harness(state: LocalState, mock: MockUpstream, worker: DevWorker, addresses: string[], options: HarnessOptions): Harness {
  const tracker = new SlotTracker(mock);
  let freezesSeen = 0;
  let running: DevWorker | null = worker;
  return {
    state,
    mock,
    worker,
    addresses,
    async buildAt(time, editions) {
      const answer = await triggerCron(worker.url, time);
      if (!answer.startsWith("200")) throw new Error(`the cron at ${new Date(time).toISOString()} answered ${answer}`);
      const until = Date.now() + 60_000;
      for (;;) {
        const all = (await benchEvents(worker.url)).freezes;
        const freezes = all.slice(freezesSeen);
        if (editions.every((edition) => freezes.some((part) => part.edition === edition))) {
          freezesSeen = all.length;
          break;
        }
        if (Date.now() > until) {
          const built = await Promise.all(editions.map((edition) => digestStatus(worker.url, edition).then((status) => `${edition}: ${status?.status ?? "none"}`)));
          throw new Error(`the cron at ${new Date(time).toISOString()} did not build and freeze ${built.join(", ")} within 60 s`);
        }
        await sleep(20);
      }
    },
    async cronAt(time, editions, { timeoutMs = 600_000, stalledMs = 120_000 } = {}) {
      const slot = slotName(time);
      const triggeredAt = Date.now();
      const answer = await triggerCron(worker.url, time);
      if (!answer.startsWith("200")) throw new Error(`the cron at ${new Date(time).toISOString()} answered ${answer}`);
      // Only quarter-hour runs freeze; each asks every sendable edition, whose last part marks the quarter.
      let freezes: FreezeEvent[] = [];
      if (new Date(time).getUTCMinutes() % 15 < 5) {
        const until = Date.now() + 60_000;
        for (;;) {
          const all = (await benchEvents(worker.url)).freezes;
          freezes = all.slice(freezesSeen);
          const done = editions.every((edition) => freezes.some((part) => part.edition === edition && part.through === quarterOf(time)));
          if (done) break;
          if (Date.now() > until) throw new Error(`the freezes of ${slot} did not finish within 60 s: ${JSON.stringify(freezes)}`);
          await sleep(20);
        }
        freezesSeen += freezes.length;
      }
      const sum = (pick: (part: FreezeEvent) => number) => freezes.reduce((total, part) => total + pick(part), 0);
      const recipients = sum((part) => part.recipients);
      let outcome: CronRun["outcome"] = "settled";
      const started = Date.now();
      let last = { at: started, delivered: -1 };
      for (;;) {
        tracker.update();
        const delivered = tracker.delivered.get(slot) ?? 0;
        if (delivered >= recipients) break;
        if (delivered !== last.delivered) last = { at: Date.now(), delivered };
        if (Date.now() - last.at > stalledMs) outcome = "stalled";
        if (Date.now() - started > timeoutMs) outcome = "timeout";
        if (outcome !== "settled") break;
        await sleep(20);
      }
      const calls = tracker.calls.get(slot);
      const written = freezes.filter((part) => part.chunks > 0 || part.through === quarterOf(time));
      return {
        time,
        slot,
        triggeredAt,
        freezes,
        freezeMs: written.length > 0 ? Math.max(...written.map((part) => part.at)) - triggeredAt : null,
        chunks: sum((part) => part.chunks),
        recipients,
        unmatched: sum((part) => part.unmatched),
        firstCallMs: calls ? calls.first - triggeredAt : null,
        lastCallMs: calls ? calls.last - triggeredAt : null,
        delivered: tracker.delivered.get(slot) ?? 0,
        outcome,
      };
    },
    async stopWorker() {
      await running?.stop();
      running = null;
    },
    query: async <T>(sql: string) => (await d1Execute(state, { command: sql })) as T[],
    async close() {
      await running?.kill();
      await mock.close();
      await state.remove();
    },
  };
}
