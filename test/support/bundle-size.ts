import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ROOT } from "./dev-worker";
import { wranglerEnv } from "./processes";

/** Workers start faster the smaller the script; this is the line a change has to argue for crossing (gzip bytes). */
export const BUNDLE_BUDGET_BYTES = 350_000;

/**
 * The Worker's size as `wrangler deploy` would upload it (a dry run into `outdir`), in KiB.
 * NODE_ENV is set as an operator's shell leaves it: wrangler bundles with the caller's NODE_ENV, and
 * Vitest sets it to "test", which bundles React's development build (about 46 KiB gzip more).
 */
export async function measureWorkerBundle(outdir: string): Promise<{ uploadKiB: number; gzipKiB: number }> {
  const wrangler = `${ROOT}node_modules/wrangler/bin/wrangler.js`;
  const { stdout } = await promisify(execFile)(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir], {
    cwd: ROOT,
    env: { ...wranglerEnv(), NODE_ENV: "production" },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  if (!match) throw new Error(`could not read the bundle size from wrangler's output:\n${stdout.slice(-2000)}`);
  return { uploadKiB: Number(match[1]), gzipKiB: Number(match[2]) };
}
