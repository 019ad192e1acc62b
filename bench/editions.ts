/**
 * `npm run bench:editions`: editions through the real Worker (wrangler dev, local D1 and Queues)
 * against the mock Resend on loopback, with the cron played on a fake clock. Two scenarios:
 *
 * - choices (issue 13): N readers over both cadences, four sizes and 30 topic combinations, against
 *   a single-segment run (everyone the defaults) of the same size: renders against the distinct
 *   paper lists the benchmark works out itself, render time per rendering, per-recipient cost, D1
 *   statements per chunk, and the fan-out's utilization next to the single segment's (target: no worse);
 * - mornings (issue 14): N readers over 40 time zones and the hours 06–10, the cron run every 15 (or
 *   5) minutes through the whole day their mornings fall in: per slot the readers, the freeze time and
 *   the utilization; renders per edition; every reader reached exactly once, at their hour.
 *
 * Exits 1 when a run sends a reader twice or not at all, renders other than once per distinct list,
 * mails a reader another list or at another hour, or does not finish.
 *
 *   npm run bench:editions
 *   npm run bench:editions -- --scenarios choices --subscribers 100000 --rps 5
 *   npm run bench:editions -- --scenarios mornings --subscribers 100000 --rps 5 --step 15
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runChoices, type SegmentResult, segmentProblems } from "./lib/choices-run";
import { type MorningsResult, morningsProblems, runMornings } from "./lib/mornings-run";
import { machineLine, percentile, printTable, seconds } from "./lib/report";

const { values } = parseArgs({
  options: {
    scenarios: { type: "string", default: "choices,mornings" },
    subscribers: { type: "string", default: "100000" },
    rps: { type: "string", default: "5" },
    step: { type: "string", default: "15" },
    seed: { type: "string", default: "1" },
    json: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});
const scenarios = new Set(values.scenarios.split(","));
const subscribers = Number(values.subscribers);
const rps = Number(values.rps);
const log = values.quiet ? () => {} : (line: string) => console.error(`  · ${line}`);
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const problems: string[] = [];
const output: Record<string, unknown> = {};
console.log(machineLine());

if (scenarios.has("choices")) {
  const { single, choices } = await runChoices({ subscribers, rps, seed: Number(values.seed), log });
  output.choices = { single, choices };
  reportChoices(single, choices);
  problems.push(...segmentProblems(single), ...segmentProblems(choices));
}
if (scenarios.has("mornings")) {
  const result = await runMornings({ subscribers, rps, stepMinutes: Number(values.step), seed: Number(values.seed), log });
  output.mornings = result;
  reportMornings(result);
  problems.push(...morningsProblems(result).map((problem) => `mornings: ${problem}`));
}
if (values.json) writeFileSync(values.json, JSON.stringify(output, null, 2));
for (const problem of problems) console.error(`FAILED ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;

function reportChoices(single: SegmentResult, choices: SegmentResult): void {
  console.log("\nThe reader's choice: one cron run on Monday 07:00 UTC (fake clock) freezes everyone, for the daily and the weekly edition\n");
  printTable(
    ["run", "N", "rps", "chunks", "freeze s", "first call s", "wall s", "bound s", "util.", "sending util.", "D1 stmts (per chunk)", "rows written (per chunk)", "dup", "miss", "wrong list"],
    [single, choices].map((run) => [
      run.label,
      run.subscribers,
      run.rps,
      run.run.chunks,
      seconds(run.run.freezeMs ?? 0),
      seconds(run.run.firstCallMs ?? 0),
      seconds(run.wallMs),
      seconds(run.boundMs),
      percent(run.utilization),
      percent(run.sendUtilization),
      `${run.d1.statements} (${(run.d1.statements / run.run.chunks).toFixed(1)})`,
      `${run.d1.rowsWritten} (${(run.d1.rowsWritten / run.run.chunks).toFixed(1)})`,
      run.readers.duplicates,
      run.readers.misses,
      run.readers.wrongTopPaper,
    ]),
  );
  console.log("");
  printTable(
    ["run", "edition", "readers", "distinct lists (benchmark)", "renders (Worker)", "stored", "unmatched (benchmark / Worker)", "sent to", "status"],
    [single, choices].flatMap((run) =>
      run.editions.map((edition) => [
        run.label,
        `${edition.edition} (${edition.cadence})`,
        edition.readers,
        edition.expectedLists,
        edition.renders,
        edition.stored,
        `${edition.unmatchedExpected} / ${edition.unmatchedReported}`,
        edition.recipients,
        edition.status,
      ]),
    ),
  );
  console.log("");
  const verdict = (ok: boolean) => (ok ? "met" : "NOT MET");
  const delta = (choices.utilization - single.utilization) * 100;
  printTable(
    ["measure", "single segment", "choices", "target"],
    [
      ["render, ms per rendering (median / p90)", `${single.renderMs.median} / ${single.renderMs.p90}`, `${choices.renderMs.median} / ${choices.renderMs.p90} (${choices.renderMs.renderings} renderings)`, "-"],
      ["personalise, µs per recipient", single.personaliseUsPerRecipient.toFixed(1), choices.personaliseUsPerRecipient.toFixed(1), `≤ 20: ${verdict(choices.personaliseUsPerRecipient <= 20)}`],
      ["fan-out utilization", percent(single.utilization), percent(choices.utilization), `no worse than single: ${verdict(delta >= 0)} (${delta >= 0 ? "+" : ""}${delta.toFixed(1)} points)`],
    ],
  );
  console.log(
    "\nutil. = chunks / rps over the time from the cron's trigger to the last accepted call (the freeze and its renders included); " +
      "sending util. = the same over the first call to the last plus one slot. Renders: INSERTs into digest_renderings the Worker ran " +
      "(bench/lib/worker-entry.mjs); distinct lists: worked out by the benchmark from the seeded choices (bench/lib/selection.ts). " +
      "Render and personalisation times: timed again in the same Worker after the run; D1 counts exclude the benchmark's polls.",
  );
}

function reportMornings(result: MorningsResult): void {
  const { options } = result;
  console.log(`\nThe reader's morning: edition ${result.edition}, the cron every ${options.stepMinutes} min for ${options.hours} h of fake clock (${result.runs} runs)\n`);
  const names = (groups: string[]) => (groups.length <= 3 ? groups.join(", ") : `${groups.slice(0, 3).join(", ")} +${groups.length - 3}`);
  printTable(
    ["slot (UTC)", "zone-hours", "readers", "chunks", "freeze ms", "last call s", "util."],
    result.slots.map((slot) => [slot.slot, `${slot.groups.length}: ${names(slot.groups)}`, slot.recipients, slot.chunks, slot.freezeMs, seconds(slot.lastCallMs), percent(slot.utilization)]),
  );
  const freeze = result.slots.map((slot) => slot.freezeMs).sort((a, b) => a - b);
  const big = result.slots.filter((slot) => slot.chunks >= 10);
  const bigUtilization = big.reduce((sum, slot) => sum + (slot.chunks / options.rps) * 1000, 0) / big.reduce((sum, slot) => sum + slot.lastCallMs, 0);
  const chunks = result.slots.reduce((sum, slot) => sum + slot.chunks, 0);
  const readers = result.readers;
  console.log("");
  printTable(
    ["measure", "value"],
    [
      ["slots with readers / cron runs", `${result.slots.length} / ${result.runs}`],
      ["freeze ms, slots with readers: median / p90 / max", `${percentile(freeze, 0.5)} / ${percentile(freeze, 0.9)} / ${freeze.at(-1) ?? 0}`],
      ["freeze ms, runs with nobody due: median / max", `${result.idleFreezeMs.median} / ${result.idleFreezeMs.max}`],
      ["utilization, all slots (sum of bounds / sum of trigger-to-last-call)", percent(result.utilization)],
      [`utilization, the ${big.length} slots of ≥ 10 chunks`, big.length ? percent(bigUtilization) : "-"],
      ["renders / distinct lists (benchmark) / stored", `${result.renders} / ${result.expectedLists} / ${result.stored}`],
      ["readers reached / expected (duplicates, misses)", `${readers.reached} / ${readers.expected} (${readers.duplicates}, ${readers.misses})`],
      ["emails at another hour than the reader's / headed by another list", `${result.offTheirHour} / ${readers.wrongTopPaper}`],
      ["D1 statements per chunk (everything) / per cron run (the cron alone)", `${(result.d1.pipeline.statements / Math.max(1, chunks)).toFixed(1)} / ${(result.d1.scheduled.statements / result.runs).toFixed(1)}`],
      ["D1 rows written / read per chunk", `${(result.d1.pipeline.rowsWritten / Math.max(1, chunks)).toFixed(1)} / ${(result.d1.pipeline.rowsRead / Math.max(1, chunks)).toFixed(0)}`],
      ["edition status", result.status],
    ],
  );
  console.log(
    "\nfreeze = from the cron's trigger to the slot's last freeze part written (its chunks exist); util. = chunks / rps over the " +
      "trigger to the slot's last accepted call; at their hour = the slot, read in the reader's zone with Node's Intl, is their hour on the dot.",
  );
  console.log("\nD1 rows read, the five statements that read most (the benchmark's polls included)\n");
  printTable(
    ["rows read", "runs", "rows read per run", "statement"],
    result.d1.topReads.map((rows) => [rows.rowsRead, rows.runs, (rows.rowsRead / rows.runs).toFixed(0), rows.sql.length > 110 ? `${rows.sql.slice(0, 110)}…` : rows.sql]),
  );
}
