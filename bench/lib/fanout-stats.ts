import { addCounts, type D1Counts } from "./admin";
import { groupCpuMs } from "./cpu";
import type { DevWorker } from "../../test/support/dev-worker";
import type { MockUpstream } from "../../test/support/mock-upstream";

/** When Resend calls happened, relative to the trigger: first and last call, and the gaps between calls. */
export interface Timeline {
  firstCallMs: number;
  lastCallMs: number;
  gapP50Ms: number;
  gapP90Ms: number;
  gapMaxMs: number;
  gapMinMs: number;
}

/**
 * Where the time between two calls goes, means over all calls: `upload` from the request's
 * headers to its last body byte, `mock` from there to the answer, `worker` from one answer to
 * the next request's headers (the consumer's own work, D1 and the pacer's wait included).
 */
export interface CallCycle {
  upload: number;
  mock: number;
  worker: number;
}

/** Adds up CPU time over the Workers that ran (a kill and restart makes two). */
export function cpuMeter() {
  const worker: Record<string, number> = {};
  let before: Record<string, number> = {};
  let benchBefore = process.cpuUsage();
  let bench = 0;
  return {
    start(from: DevWorker) {
      before = groupCpuMs(from.pid);
      benchBefore = process.cpuUsage();
    },
    stop(from: DevWorker) {
      for (const [name, ms] of Object.entries(groupCpuMs(from.pid))) worker[name] = (worker[name] ?? 0) + ms - (before[name] ?? 0);
      const used = process.cpuUsage(benchBefore);
      bench += (used.user + used.system) / 1000;
    },
    totals: () => ({ worker, bench: Math.round(bench) }),
  };
}

export function callCycle(timings: MockUpstream["timings"]): CallCycle {
  const ordered = [...timings].sort((a, b) => a.headersAt - b.headersAt);
  const mean = (values: number[]) => (values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0);
  return {
    upload: mean(ordered.map((t) => t.bodyAt - t.headersAt)),
    mock: mean(ordered.map((t) => t.answeredAt - t.bodyAt)),
    worker: mean(ordered.slice(1).map((t, index) => t.headersAt - ordered[index]!.answeredAt)),
  };
}

export function replays(sends: { idempotencyKey: string | null; status: number }[]): number {
  const accepted = new Set<string>();
  let count = 0;
  for (const send of sends) {
    if (send.idempotencyKey === null || (send.status !== 200 && send.status !== 0)) continue;
    if (accepted.has(send.idempotencyKey)) count += 1;
    accepted.add(send.idempotencyKey);
  }
  return count;
}

export function timeline(offsets: number[]): Timeline {
  const gaps = offsets.slice(1).map((at, index) => at - offsets[index]!).sort((a, b) => a - b);
  const pick = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0;
  return {
    firstCallMs: offsets[0] ?? 0,
    lastCallMs: offsets.at(-1) ?? 0,
    gapP50Ms: pick(0.5),
    gapP90Ms: pick(0.9),
    gapMaxMs: gaps.at(-1) ?? 0,
    gapMinMs: gaps[0] ?? 0,
  };
}

export function mergeOrigins(parts: Record<string, D1Counts>[]): Record<string, D1Counts> {
  const merged: Record<string, D1Counts> = {};
  for (const part of parts) for (const [origin, counts] of Object.entries(part)) merged[origin] = addCounts(merged[origin], counts);
  return merged;
}
