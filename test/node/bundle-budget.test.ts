import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { BUNDLE_BUDGET_BYTES, measureWorkerBundle } from "../support/bundle-size";

it("keeps the Worker bundle under 350 KB gzip", async () => {
  const outdir = await mkdtemp(join(tmpdir(), "paperboy-bundle-"));
  try {
    const { gzipKiB } = await measureWorkerBundle(outdir);
    expect(gzipKiB * 1024).toBeLessThan(BUNDLE_BUDGET_BYTES);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}, 120_000);
