/**
 * A property-based sweep over every route: random methods, paths, content types, bodies and
 * headers, thrown at the Worker entry point. Whatever arrives, nothing answers 5xx, every error
 * is a JSON error or an HTML page, and a rejected request leaves D1 and the mock Resend as they were.
 *
 * The mock stays healthy throughout, so no 5xx is ever expected. The seed is fixed; fast-check
 * prints it, the path to the failing case and the shrunk request when a property fails.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app } from "../../src/entry/fetch";
import { hfItems } from "../support/hf-items";
import { resetMock } from "../support/worker/mock";
import { worker } from "../support/worker/requests";
import { probeArb, routeFamilies } from "./route-sweep/families";
import { checkProbe, type Tally } from "./route-sweep/oracle";
import { PREVIEW_ONLY, type Seeded, seed } from "./route-sweep/seed";

const SEED = 20_261_126;
const SWEEP_RUNS = 700;

describe("every route, with whatever arrives", () => {
  let seeded: Seeded;

  beforeAll(async () => {
    await resetMock({ papers: { [PREVIEW_ONLY]: hfItems(3) } });
    seeded = await seed();
    // One request log line per probe would bury a failure; errors still reach the console.
    vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterAll(() => vi.restoreAllMocks());

  it("never answers 5xx, answers errors as JSON or a page, and changes nothing when it refuses", { timeout: 120_000 }, async () => {
    const { families, anyBody } = routeFamilies(seeded);
    const tally: Tally = new Map();
    await fc.assert(
      fc.asyncProperty(probeArb(families, anyBody), (probe) => checkProbe(probe, tally)),
      { seed: SEED, numRuns: SWEEP_RUNS },
    );
    // The sweep must also get past each route's checks, or it only ever probed the gate.
    const summary = Object.fromEntries(families.map(({ route }) => [route, tally.get(route) ?? { accepted: 0, refused: 0 }]));
    for (const family of families) {
      expect(summary[family.route]!.refused, `${family.route}: ${JSON.stringify(summary)}`).toBeGreaterThan(0);
      if (family.reachable) expect(summary[family.route]!.accepted, `${family.route}: ${JSON.stringify(summary)}`).toBeGreaterThan(0);
    }
  });
});

describe("the sweep's reach", () => {
  it("probes every path in the app's own route table, so a new route cannot fall outside it", async () => {
    // Any seed data will do: only the families' declared paths are read.
    const { families } = routeFamilies({ subscribers: [{ id: 1, email: "a@example.com" }], tokens: { confirm: ["c"], unsubscribe: ["u"], preferences: ["p"], dead: ["d"] } });
    const covered = new Set(families.flatMap((family) => family.covers));
    const routed = new Set(app.routes.map((route) => route.path).filter((path) => !path.endsWith("*")));
    expect([...routed].filter((path) => !covered.has(path))).toEqual([]);
    expect([...covered].filter((path) => !routed.has(path))).toEqual([]);
  });
});

describe("what the sweep found", () => {
  it("answers a form sign-up from a client that accepts only JSON in JSON, like any other API call", async () => {
    const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    const refused = await worker("/subscribe", { method: "POST", headers, body: "email=not-an-address" });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: { code: "invalid_email", message: "Enter an address like name@example.com." } });

    const email = `form-api-${crypto.randomUUID()}@example.com`;
    const accepted = await worker("/subscribe", { method: "POST", headers, body: new URLSearchParams({ email }).toString() });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ status: "pending" });
  });

  it("answers operator paths in JSON however they are spelled", async () => {
    for (const path of ["/%61dmin/stats", "/admin/%73tats", "/%61dmin/digests/2026-02-30"]) {
      const response = await worker(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });
});

