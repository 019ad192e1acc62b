import { join } from "node:path";
import { bundleWorker, type LocalState, ROOT } from "../../test/support/dev-worker";

/** paperboy's Worker with its D1 binding counted and timing endpoints added; see worker-entry.mjs. */
const COUNTING_ENTRY = join(ROOT, "bench", "lib", "worker-entry.mjs");

/** Bundles the counting Worker into `state`, so a run's code stays fixed while it runs. */
export function bundleBenchWorker(state: LocalState): Promise<string> {
  return bundleWorker(join(state.dir, "bundle"), COUNTING_ENTRY);
}
