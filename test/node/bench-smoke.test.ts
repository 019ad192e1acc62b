import { describe, expect, it } from "vitest";
import { fanoutProblems, runFanout } from "../../bench/lib/fanout-run";
import { renderProblems, runRender } from "../../bench/lib/render-run";
import { runSignup, signupProblems } from "../../bench/lib/signup-run";

/**
 * Small runs of the three benchmarks (`npm run bench:*`), so that they keep working. Each starts
 * its own `wrangler dev` on loopback against a throw-away local D1. Only correctness is asserted;
 * timings on a shared CI machine mean nothing.
 */
describe("benchmark smoke runs", () => {
  it("fan-out delivers every subscriber exactly once through 500s, 429s and dropped connections", async () => {
    const result = await runFanout({
      subscribers: 500,
      rps: 20,
      // One of each fault first, so every recovery path is taken whatever the dice say.
      scriptedFaults: ["500", "429", "drop-after-accept"],
      faults: { error500: 0.05, error429: 0.05, dropAfterAccept: 0.02 },
      timeoutMs: 90_000,
    });

    expect(fanoutProblems(result)).toEqual([]);
    expect(result.accepted).toBe(500);
    expect(result.resendCalls.byStatus).toMatchObject({ "0": expect.any(Number), "429": expect.any(Number), "500": expect.any(Number) });
    // The call whose connection dropped had been accepted; its retry was answered from the idempotency record.
    expect(result.idempotentReplays).toBeGreaterThanOrEqual(1);
    expect(result.d1.pipeline.statements).toBeGreaterThan(0);
  }, 150_000);

  it("sign-up load mails every accepted sign-up its confirmation and every confirmation its welcome, also while a digest goes out", async () => {
    const result = await runSignup({ durationSeconds: 2, connections: 4, rps: 2, digestSubscribers: 300, burst: 50 });

    expect(signupProblems(result)).toEqual([]);
    expect(result.routes.map((route) => route.route)).toEqual(["GET /healthz", "POST /subscribe", "POST /confirm"]);
    expect(result.routes.every((route) => route.requests > 0)).toBe(true);
    expect(result.confirmationMail.mails).toBeGreaterThan(0);
    expect(result.welcomeMail.mails).toBe(result.confirmationMail.mails);
    expect(result.duringDigest?.digest).toMatchObject({ duplicates: 0, misses: 0 });
    expect(result.burst?.signups).toBe(50);
  }, 150_000);

  it("render personalises every email with its own unsubscribe link", async () => {
    // The bundle's size has a test of its own (bundle-budget.test.ts).
    const result = await runRender({ iterations: 2, recipients: 200, rounds: 1, bundle: false });

    expect(renderProblems(result)).toEqual([]);
    expect(result.renders.map((render) => render.papers)).toEqual([10, 30]);
  }, 120_000);
});
