import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { recordRun, type RunKind } from "../operations/runs";

export interface RecordedRunDeps {
  db: D1Database;
  clock: Clock;
  log: Logger;
}

/**
 * Runs `work` and records it in `runs` under `run.id` (the id its log lines carry): `ok` with
 * `detailOf(result)`, or `failed` with the error's message, which is then thrown on as before.
 * The record is bookkeeping: when it cannot be written, the run's own outcome stands and one line says so.
 */
export async function recordedRun<T>(
  deps: RecordedRunDeps,
  run: { id: string; kind: RunKind },
  work: () => Promise<T>,
  detailOf: (result: T) => unknown = (result) => result,
): Promise<T> {
  const startedAt = deps.clock.now();
  const record = async (outcome: "ok" | "failed", detail: unknown) => {
    try {
      await recordRun(deps.db, { ...run, startedAt, finishedAt: deps.clock.now(), outcome, detail });
    } catch (error) {
      deps.log.error("run not recorded", { kind: run.kind, outcome, error: String(error) });
    }
  };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await record("failed", { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  await record("ok", detailOf(result));
  return result;
}
