import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { measureWorkerBundle } from "../support/bundle-size";

/** Workers start faster the smaller the script; this is the line a change has to argue for crossing. */
const BUDGET_BYTES = 350_000;

it("keeps the Worker bundle under 350 KB gzip", async () => {
  const outdir = await mkdtemp(join(tmpdir(), "paperboy-bundle-"));
  try {
    const { gzipKiB } = await measureWorkerBundle(outdir);
    expect(gzipKiB * 1024).toBeLessThan(BUDGET_BYTES);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}, 120_000);
