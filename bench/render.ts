/**
 * `npm run bench:render`: time to render one digest (HTML + text) for 10 and 30 papers, the
 * per-recipient personalisation cost (two tokens, two links and the reader's topics filled in;
 * target under 20 µs) and the Worker bundle size from
 * `wrangler deploy --dry-run` (target: the budget test's 350 KB gzip). Runs inside workerd (wrangler dev).
 * Exits 1 if personalisation is wrong.
 *
 *   npm run bench:render
 *   npm run bench:render -- --iterations 50 --recipients 10000 --no-bundle
 */
import { parseArgs } from "node:util";
import { BUNDLE_BUDGET_BYTES } from "../test/support/bundle-size";
import { renderProblems, runRender } from "./lib/render-run";
import { machineLine, printTable } from "./lib/report";

const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "20" },
    recipients: { type: "string", default: "10000" },
    "no-bundle": { type: "boolean", default: false },
  },
});

console.log(machineLine());
const result = await runRender({
  iterations: Number(values.iterations),
  recipients: Number(values.recipients),
  bundle: !values["no-bundle"],
});
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const budgetKiB = BUNDLE_BUDGET_BYTES / 1024;
console.log("");
printTable(
  ["papers", "first render ms", "median ms", "p90 ms", "HTML KiB", "text KiB"],
  result.renders.map((r) => [r.papers, r.firstMs.toFixed(1), r.medianMs.toFixed(1), r.p90Ms.toFixed(1), kb(r.htmlBytes), kb(r.textBytes)]),
);
console.log("");
const verdict = (value: number, limit: number) => (value < limit ? "under" : "OVER");
printTable(
  ["measure", "value", "target"],
  [
    ["personalise, µs per recipient", result.personaliseUsPerRecipient.toFixed(1), `< 20 (${verdict(result.personaliseUsPerRecipient, 20)})`],
    ["  of which both links signed (two HMACs)", result.tokensUsPerRecipient.toFixed(1), "-"],
    ["  the unsubscribe link alone (one HMAC)", result.unsubscribeTokenUsPerRecipient.toFixed(1), "-"],
    ["personalise + JSON for Resend, µs per recipient", result.personaliseAndEncodeUsPerRecipient.toFixed(1), "-"],
    ...(result.bundle
      ? [
          ["Worker bundle, KiB (wrangler dry run)", result.bundle.uploadKiB.toFixed(1), "-"],
          ["Worker bundle gzip, KiB (wrangler)", result.bundle.gzipKiB.toFixed(1), `< ${budgetKiB.toFixed(1)} KiB = ${BUNDLE_BUDGET_BYTES / 1000} KB (${verdict(result.bundle.gzipKiB, budgetKiB)})`],
        ]
      : []),
  ],
);
console.log(
  `\nTimed inside workerd (wrangler dev; its clock ticks in whole ms). Personalisation: the unsubscribe and preferences tokens ` +
    `(two HMAC-SHA256), both links and the reader's topics filled into HTML and text, List-Unsubscribe and List-Id headers, as ` +
    `send-chunk.ts builds each email; one 10-paper rendering, readers with every topic, one, two and their own keyword in turn, ` +
    `${result.options.recipients} recipients in batches of 100, median of ${result.options.rounds} rounds. ` +
    `Bundle: paperboy's own entry (wrangler.toml main); 1 KiB = 1024 bytes.`,
);
const problems = renderProblems(result);
for (const problem of problems) console.error(`FAILED: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
