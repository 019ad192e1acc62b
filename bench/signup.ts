/**
 * `npm run bench:signup`: sign-up throughput of the real Worker (wrangler dev, local D1) under
 * autocannon, against the static `GET /healthz` of the same Worker in the same run as the baseline.
 * Every request carries its own CF-Connecting-IP, as sign-ups from many people do; from a single
 * address the Worker's per-client limit (SIGNUP_LIMITER) would answer 429 after 10 a minute.
 * Confirmation mail goes to the mock Resend through the Worker's pacer at RESEND_MAX_RPS = --rps.
 * Exits 1 if an accepted sign-up is missing from D1 or got no confirmation mail.
 *
 *   npm run bench:signup
 *   npm run bench:signup -- --duration 20 --connections 20 --rps 2
 */
import { parseArgs } from "node:util";
import { machineLine, printTable } from "./lib/report";
import { runSignup, signupProblems } from "./lib/signup-run";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    rps: { type: "string", default: "100" },
  },
});

console.log(machineLine());
const result = await runSignup({
  durationSeconds: Number(values.duration),
  connections: Number(values.connections),
  rps: Number(values.rps),
  log: (line) => console.error(`  · ${line}`),
});
console.log("");
printTable(
  ["route", "requests", "req/s", "p50 ms", "p99 ms", "errors", "answers", "vs /healthz"],
  result.routes.map((route) => [
    route.route,
    route.requests,
    route.requestsPerSecond.toFixed(0),
    route.p50Ms,
    route.p99Ms,
    route.errors,
    Object.entries(route.statuses)
      .map(([status, count]) => `${status}:${count}`)
      .join(" "),
    `${(route.ratio * 100).toFixed(0)}%`,
  ]),
);
console.log(
  `\n${result.options.connections} connections, ${result.options.durationSeconds} s per route, RESEND_MAX_RPS ${result.options.rps}. ` +
    `Accepted sign-ups: ${result.accepted}; missing from D1: ${result.lost}; confirmation still queued at the end: ${result.queued}; without a confirmation mail: ${result.unconfirmed}.`,
);
const problems = signupProblems(result);
for (const problem of problems) console.error(`FAILED: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
