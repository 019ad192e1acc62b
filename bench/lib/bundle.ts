import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleWorker, ROOT } from "../../test/support/dev-worker";

/** paperboy's Worker with its D1 binding counted and timing endpoints added; see worker-entry.mjs. */
const COUNTING_ENTRY = join(ROOT, "bench", "lib", "worker-entry.mjs");

let shared: Promise<string> | null = null;

/**
 * The counting Worker, bundled once per process into a temporary directory (removed when the
 * process exits) and run with `wrangler dev --no-bundle`: every Worker a benchmark starts runs the
 * same code however files change meanwhile, and only the first start pays the ten seconds.
 */
export function sharedBenchWorker(): Promise<string> {
  shared ??= mkdtemp(join(tmpdir(), "paperboy-bench-bundle-")).then((dir) => {
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    return bundleWorker(dir, COUNTING_ENTRY);
  });
  return shared;
}
