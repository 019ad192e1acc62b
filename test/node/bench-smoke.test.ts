import { describe, expect, it } from "vitest";
import { runSegment, segmentProblems } from "../../bench/lib/choices-run";
import { fanoutProblems, runFanout } from "../../bench/lib/fanout-run";
import { morningsProblems, runMornings } from "../../bench/lib/mornings-run";
import { renderProblems, runRender } from "../../bench/lib/render-run";
import { runSignup, signupProblems } from "../../bench/lib/signup-run";

/**
 * Small runs of the four benchmarks (`npm run bench:*`), so that they keep working. Each starts
 * its own `wrangler dev` on loopback against a throw-away local D1 (the counting Worker is bundled
 * once for the file). Correctness is asserted; timings on a shared CI machine mean little, so the
 * utilization bounds only catch a fan-out that stalls.
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

  it("render personalises every email with its own unsubscribe and preferences links and its reader's topics", async () => {
    // The bundle's size has a test of its own (bundle-budget.test.ts).
    const result = await runRender({ iterations: 2, recipients: 200, rounds: 1, bundle: false });

    expect(renderProblems(result)).toEqual([]);
    expect(result.renders.map((render) => render.papers)).toEqual([10, 30]);
  }, 120_000);

  it("editions: readers' choices are rendered once per distinct paper list and each reader gets their own list, once", async () => {
    // Readers 1..240 take every cadence × size × topic combination once; the rest are drawn.
    const result = await runSegment("choices", { subscribers: 400, rps: 5, personaliseRecipients: 200 });

    expect(segmentProblems(result)).toEqual([]);
    const [daily, weekly] = result.editions;
    expect(daily).toMatchObject({ cadence: "daily", renders: daily!.expectedLists, stored: daily!.expectedLists });
    expect(weekly).toMatchObject({ cadence: "weekly", renders: weekly!.expectedLists, stored: weekly!.expectedLists });
    expect(daily!.expectedLists).toBeGreaterThan(30);
    expect(daily!.unmatchedExpected).toBeGreaterThan(0); // a keyword no paper has: those readers get nothing
    expect(result.readers).toMatchObject({ reached: result.readers.expected, duplicates: 0, misses: 0, strangers: 0, wrongTopPaper: 0 });
    // Five chunks: the freeze's 100-odd renders weigh more than the sending, so only a stall fails these.
    expect(result.utilization).toBeGreaterThan(0.05);
    expect(result.sendUtilization).toBeGreaterThan(0.15);
  }, 150_000);

  it("editions: a day on the fake clock reaches every reader in 40 zones exactly once, at their hour, with renders shared across slots", async () => {
    // 200 readers: every zone × hour once.
    const result = await runMornings({ subscribers: 200, rps: 5 });

    expect(morningsProblems(result)).toEqual([]);
    expect(result.readers).toMatchObject({ expected: 200, reached: 200, duplicates: 0, misses: 0 });
    expect(result.offTheirHour).toBe(0);
    expect(result.renders).toBe(result.expectedLists);
    expect(result.slots.length).toBeGreaterThan(40); // whole hours, and the :15, :30 and :45 of the odd offsets
    // Kathmandu (UTC+5:45) at 06:00, two mornings after the edition's day.
    const kathmandu = `${new Date(Date.parse(result.edition) + 2 * 86_400_000).toISOString().slice(0, 10)}T00:15Z`;
    expect(result.slots.find((slot) => slot.slot === kathmandu)?.groups).toContain("Asia/Kathmandu 06");
    expect(result.utilization).toBeGreaterThan(0.05);
  }, 180_000);
});
