import { execFileSync } from "node:child_process";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { ROOT } from "../../test/support/dev-worker";

/** Prints rows as an aligned plain-text table (also valid Markdown). */
export function printTable(headers: string[], rows: (string | number)[][], write: (line: string) => void = console.log): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  write(line(headers));
  write(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of cells.slice(1)) write(line(row));
}

/** The machine and code a figure was measured on. */
export function machineLine(): string {
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  let commit = process.env.BENCH_COMMIT ?? "unknown";
  if (!process.env.BENCH_COMMIT) try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // not a git checkout (e.g. an exported snapshot)
  }
  return (
    `machine: ${cpus().length} × ${model}, ${gib(totalmem())} RAM (${gib(freemem())} free), ` +
    `load average ${loadavg().map((n) => n.toFixed(2)).join(" ")}; Node ${process.version}; commit ${commit}`
  );
}

export const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** The value at quantile `q` (0..1) of ascending `sorted`; 0 when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
