/**
 * `npm run bench:signup`: the sign-up journey of the real Worker (wrangler dev, local D1 and Queues)
 * under autocannon, against the static `GET /healthz` of the same Worker in the same run: `POST
 * /subscribe` and `POST /confirm` throughput and latency, and how long each confirmation and welcome
 * mail takes to reach the mock Resend (limited, like Resend, to --rps calls a second). Then the same
 * sign-ups while a digest to --digest subscribers goes out, and a burst of --burst sign-ups in 10 s.
 * Every request carries its own CF-Connecting-IP, as sign-ups from many people do.
 * Exits 1 when a sign-up lost its mail or the digest was not exactly once.
 *
 *   npm run bench:signup
 *   npm run bench:signup -- --duration 20 --connections 10 --rps 2 --digest 10000 --burst 1000
 */
import { parseArgs } from "node:util";
import { machineLine, printTable } from "./lib/report";
import { runSignup, signupProblems } from "./lib/signup-run";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    rps: { type: "string", default: "2" },
    digest: { type: "string", default: "10000" },
    burst: { type: "string", default: "1000" },
  },
});

console.log(machineLine());
const result = await runSignup({
  durationSeconds: Number(values.duration),
  connections: Number(values.connections),
  rps: Number(values.rps),
  digestSubscribers: Number(values.digest),
  burst: Number(values.burst),
  log: (line) => console.error(`  · ${line}`),
});
const verdict = (ok: boolean) => (ok ? "met" : "NOT MET");
const routes = [...result.routes, ...(result.duringDigest ? [result.duringDigest.route] : [])];
console.log("");
printTable(
  ["route", "requests", "req/s", "vs /healthz", "p50 ms", "p99 ms", "errors", "target"],
  routes.map((route, index) => [
    route.route,
    route.requests,
    route.requestsPerSecond.toFixed(0),
    `${(route.ratio * 100).toFixed(0)}%`,
    route.p50Ms,
    route.p99Ms,
    route.errors,
    index === 0 ? "baseline" : `≥ 50%, p99 ≤ 100 ms: ${verdict(route.ratio >= 0.5 && route.p99Ms <= 100)}`,
  ]),
);
console.log("");
const mails = [
  ["confirmation mail", result.confirmationMail],
  ["welcome mail", result.welcomeMail],
  ...(result.duringDigest ? [["confirmation mail during the digest", result.duringDigest.confirmationMail] as const] : []),
  ...(result.burst ? [["confirmation mail in the burst", result.burst.confirmationMail] as const] : []),
] as const;
printTable(
  ["mail, request to Resend", "mails", "missing", "p50 ms", "p95 ms", "max ms", "target"],
  mails.map(([what, mail]) => [what, mail.mails, mail.missing, mail.p50Ms, mail.p95Ms, mail.maxMs, what.includes("burst") ? "-" : `p95 ≤ 5 s: ${verdict(mail.p95Ms <= 5000)}`]),
);
if (result.duringDigest) {
  const { digest } = result.duringDigest;
  console.log(`\nDigest sent meanwhile: ${digest.recipients} mails, ${digest.duplicates} duplicates, ${digest.misses} misses.`);
}
if (result.burst) {
  const { burst } = result;
  console.log(
    `Burst: ${burst.signups} sign-ups over ${(burst.spreadMs / 1000).toFixed(1)} s; the last confirmation reached Resend ` +
      `${(burst.lastMailAfterLastSignupMs / 1000).toFixed(1)} s after the last sign-up (target ≤ 20 s: ${verdict(burst.lastMailAfterLastSignupMs <= 20_000)}).`,
  );
}
console.log(`\n${result.options.connections} connections, ${result.options.durationSeconds} s per route, RESEND_MAX_RPS = mock limit = ${result.options.rps}.`);
const problems = signupProblems(result);
for (const problem of problems) console.error(`FAILED: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
