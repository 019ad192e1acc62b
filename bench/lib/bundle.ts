import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleWorker, ROOT } from "../../test/support/dev-worker";

/**
 * The Workers a benchmark can run: "counting" is paperboy's Worker with its D1 binding counted and
 * timing endpoints added (see worker-entry.mjs); "deployed" is paperboy's own entry point, as
 * `wrangler deploy` ships it, for figures the counting would tax (request throughput).
 */
const ENTRIES = {
  counting: join(ROOT, "bench", "lib", "worker-entry.mjs"),
  deployed: join(ROOT, "src", "index.ts"),
} as const;

const shared = new Map<keyof typeof ENTRIES, Promise<string>>();

/**
 * The Worker, bundled once per process into a temporary directory (removed when the process exits)
 * and run with `wrangler dev --no-bundle`: every Worker a benchmark starts runs the same code
 * however files change meanwhile, and only the first start pays the ten seconds.
 */
export function sharedBenchWorker(kind: keyof typeof ENTRIES = "counting"): Promise<string> {
  let script = shared.get(kind);
  if (!script) {
    script = mkdtemp(join(tmpdir(), `paperboy-bench-${kind}-`)).then((dir) => {
      process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
      return bundleWorker(dir, ENTRIES[kind]);
    });
    shared.set(kind, script);
  }
  return script;
}
