/**
 * `npm run bench:fanout`: the digest fan-out through the real Worker (wrangler dev, local D1
 * and Queues) against the mock Resend on loopback: N readers at the default morning (07:00 UTC)
 * and the daily edition they are all due for now (yesterday's after 07:00 UTC, else the day
 * before's), sent with `POST /admin/digests/:date/send`, which builds it and freezes everyone at
 * once. Three scenarios, each a fresh local state:
 *
 * - utilization: N subscribers at RESEND_MAX_RPS = mock limit = --rps; wall time against N / (100 × rps);
 * - faults: 5% 500s, 5% 429s, 1% connections dropped after the send was accepted (after one of each);
 * - kill: the Worker is SIGKILLed halfway and restarted on the same state.
 *
 * Exits 1 when any scenario has a duplicate, a miss, a stranger, a failed chunk or did not finish.
 *
 *   npm run bench:fanout
 *   npm run bench:fanout -- --scenarios utilization --subscribers 10000 --rps 10
 *   npm run bench:fanout -- --scenarios faults --fault-subscribers 1000 --faults error500=0.05,slow=0.02,slowMs=20000
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { FaultRates } from "../test/support/mock-types";
import { type FanoutResult, fanoutProblems, runFanout } from "./lib/fanout-run";
import { machineLine, printTable, seconds } from "./lib/report";

const { values } = parseArgs({
  options: {
    scenarios: { type: "string", default: "utilization,faults,kill" },
    subscribers: { type: "string", default: "1000,10000,100000" },
    rps: { type: "string", default: "5" },
    "mock-limit": { type: "string" },
    "fault-subscribers": { type: "string", default: "10000" },
    faults: { type: "string", default: "error500=0.05,error429=0.05,dropAfterAccept=0.01" },
    "kill-subscribers": { type: "string", default: "10000" },
    "kill-at": { type: "string", default: "0.5" },
    seed: { type: "string", default: "1" },
    json: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});

const rps = Number(values.rps);
const mockLimit = values["mock-limit"] === undefined ? rps : Number(values["mock-limit"]);
const scenarios = new Set(values.scenarios.split(","));
const faults = parseFaults(values.faults);
const log = values.quiet ? () => {} : (line: string) => console.error(`  · ${line}`);

interface Row {
  scenario: string;
  result: FanoutResult;
}
const rows: Row[] = [];
console.log(machineLine());
const run = async (scenario: string, options: Parameters<typeof runFanout>[0]) => {
  console.error(`${scenario}: ${options.subscribers} subscribers at ${options.rps} rps`);
  rows.push({ scenario, result: await runFanout({ ...options, log }) });
};

if (scenarios.has("utilization"))
  for (const subscribers of values.subscribers.split(",").map(Number))
    await run("utilization", { subscribers, rps, mockLimit, seed: Number(values.seed) });
if (scenarios.has("faults"))
  await run("faults", {
    subscribers: Number(values["fault-subscribers"]),
    rps,
    mockLimit,
    // One of each first, so that every recovery path is taken whatever the dice say; then the rates.
    scriptedFaults: ["500", "429", "drop-after-accept"],
    faults,
    seed: Number(values.seed),
  });
if (scenarios.has("kill"))
  await run("kill+restart", {
    subscribers: Number(values["kill-subscribers"]),
    rps,
    mockLimit,
    killAt: Number(values["kill-at"]),
    seed: Number(values.seed),
  });

console.log("");
printTable(
  ["scenario", "N", "rps", "wall s", "bound s", "util.", "target", "Resend calls (by answer)", "429s", "D1 stmts (per chunk)", "rows written", "dup", "miss", "failed chunks"],
  rows.map(({ scenario, result }) => {
    const chunks = result.digest?.chunks.total || 1;
    const calls = Object.entries(result.resendCalls.byStatus)
      .map(([status, count]) => `${status === "0" ? "dropped" : status}:${count}`)
      .join(" ");
    return [
      scenario,
      result.options.subscribers,
      result.options.rps,
      seconds(result.wallMs),
      seconds(result.boundMs),
      `${(result.utilization * 100).toFixed(1)}%`,
      target(scenario, result),
      `${result.resendCalls.total} (${calls})`,
      `${(result.rateLimitedShare * 100).toFixed(1)}%`,
      `${result.d1.pipeline.statements} (${(result.d1.pipeline.statements / chunks).toFixed(1)})`,
      result.d1.pipeline.rowsWritten,
      result.duplicates,
      result.misses,
      result.digest?.chunks.failed ?? "?",
    ];
  }),
);
console.log("");
for (const { scenario, result } of rows) {
  const t = result.timeline;
  const cpu = Object.entries(result.cpuMs.worker)
    .map(([name, ms]) => `${name} ${seconds(ms)} s`)
    .join(", ");
  console.log(
    `${scenario} N=${result.options.subscribers}: first call ${seconds(t.firstCallMs)} s after the trigger, last ${seconds(t.lastCallMs)} s; ` +
      `gap between calls p50 ${t.gapP50Ms} ms, p90 ${t.gapP90Ms} ms, min ${t.gapMinMs} ms, max ${t.gapMaxMs} ms (1/rps = ${Math.round(1000 / result.options.rps)} ms); ` +
      `per call: upload ${result.callCycleMs.upload} ms, mock ${result.callCycleMs.mock} ms, worker between calls ${result.callCycleMs.worker} ms; ` +
      `${(result.resendCalls.meanRequestBytes / 1e6).toFixed(2)} MB per call; idempotent replays ${result.idempotentReplays}; ` +
      `CPU: ${cpu}, bench+mock ${seconds(result.cpuMs.bench)} s`,
  );
  if (result.atKill) console.log(`  chunks at the kill: ${JSON.stringify(result.atKill)}`);
  if (result.lastMailAfterRestartMs !== null)
    console.log(`  the last mail went out ${seconds(result.lastMailAfterRestartMs)} s after the restarted Worker answered (target ≤ 15 s)`);
  for (const step of result.recovery ?? [])
    console.log(`  re-drive: ${step.step} -> ${step.progressed ? "resumed" : "no progress"} (answer ${step.answer})`);
}
console.log(`D1 statements exclude the benchmark's own status polls (GET /admin/digests/:date); counted by wrapping the DB binding (bench/lib/worker-entry.mjs).`);
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2));

const broken = rows.filter(({ result }) => fanoutProblems(result).length > 0);
for (const { scenario, result } of broken) console.error(`FAILED ${scenario} N=${result.options.subscribers}: ${fanoutProblems(result).join("; ")}`);
process.exitCode = broken.length > 0 ? 1 : 0;

/** The bar for each scenario: the bound's share, the 429s, and after a kill the time to the last mail. */
function target(scenario: string, result: FanoutResult): string {
  const met = (ok: boolean) => (ok ? "met" : "NOT MET");
  if (scenario === "faults") return `≥ 85%: ${met(result.utilization >= 0.85)}`;
  if (scenario === "kill+restart") return `≤ 15 s after restart: ${met((result.lastMailAfterRestartMs ?? Infinity) <= 15_000)}`;
  return `≥ 97%, ≤ 0.5% 429s: ${met(result.utilization >= 0.97 && result.rateLimitedShare <= 0.005)}`;
}

function parseFaults(text: string): FaultRates {
  const rates: Record<string, number> = {};
  for (const pair of text.split(",").filter(Boolean)) {
    const [name, value] = pair.split("=");
    if (!name || value === undefined || !Number.isFinite(Number(value))) throw new Error(`--faults: cannot read "${pair}"`);
    rates[name] = Number(value);
  }
  return rates as FaultRates;
}
