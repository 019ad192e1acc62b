/**
 * Local development offline: `npm start` sets PAPERS_SOURCE=sample, and the Worker then asks nobody
 * for papers (each request would fail inside workerd with a stack trace) and builds its digests from
 * the bundled sample, quietly. Production refuses the setting: it never sends made-up news.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build";
import { parseConfig } from "../../src/config";
import { createServices } from "../../src/services";
import { hfItems } from "../support/hf-items";
import { clearDigestState } from "../support/worker/db";
import { mockPaperRequests, resetMock } from "../support/worker/mock";
import { testClock, testConfig, testServices } from "../support/worker/services";

const DATE = "2026-11-10";

beforeEach(async () => {
  await resetMock({ papers: { [DATE]: hfItems(3) } });
  await clearDigestState();
});

describe("PAPERS_SOURCE", () => {
  it("sample, in development: no request, a sample digest, and an info line instead of a warning per attempt", async () => {
    const config = testConfig({ ENVIRONMENT: "development", PAPERS_SOURCE: "sample" });
    const deps = testServices({ config, clock: testClock(Date.parse("2026-11-11T06:00:00Z")) });
    const outcome = await buildDigest({ ...deps, papers: createServices(config, env).papers }, DATE);
    expect(outcome).toMatchObject({ kind: "ready", edition: DATE, sample: true });
    expect(await mockPaperRequests()).toEqual([]);
    expect(deps.logs.filter((entry) => entry.level === "warn" || entry.level === "error")).toEqual([]);
    expect(deps.logs).toContainEqual(expect.objectContaining({ level: "info", message: "papers source unreachable, using bundled sample papers" }));
  });

  it("huggingface (the default) asks Hugging Face", async () => {
    const config = testConfig({ ENVIRONMENT: "development" });
    expect(config.digest.papersSource).toBe("huggingface");
    const result = await createServices(config, env).papers.fetchPeriod(DATE);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(await mockPaperRequests()).toHaveLength(2);
  });

  it("refuses sample outside development, and anything but the two values", () => {
    expect(parseConfig({ ...env, ENVIRONMENT: "production", PAPERS_SOURCE: "sample" })).toEqual({
      ok: false,
      problems: ['PAPERS_SOURCE="sample" is for local development (ENVIRONMENT=development) only'],
    });
    expect(parseConfig({ ...env, PAPERS_SOURCE: "arxiv" })).toEqual({ ok: false, problems: ['PAPERS_SOURCE must be "huggingface" or "sample", got "arxiv"'] });
  });
});
