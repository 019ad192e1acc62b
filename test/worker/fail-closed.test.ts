import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/entry/fetch";
import { countSubscribers, uniqueEmail } from "../support/worker/db";
import { headingOf } from "../support/worker/forms";
import { mockSends, resetMock } from "../support/worker/mock";

const MISCONFIGURED = "paperboy is not configured yet. Please try again later.";

beforeEach(() => resetMock());

describe("a Worker deployed without its settings fails closed", () => {
  // First in the file: the problem is logged once per isolate, on the first request that meets it.
  it("answers every request 503 and logs one clear line saying what is missing", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = { ...env, SIGNING_SECRET: "" };

    const responses = [
      await app.request("/", {}, broken),
      await app.request("/healthz", {}, broken),
      await app.request("/confirm?token=x", {}, broken),
    ];

    expect(responses.map((response) => response.status)).toEqual([503, 503, 503]);
    // Each 503 also has its request line; the problem itself is logged once.
    const lines = errors.mock.calls.map(([line]) => JSON.parse(line as string) as { message: string });
    const problems = lines.filter((line) => line.message !== "request");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toEqual({
      level: "error",
      message: "configuration invalid",
      problems: ["SIGNING_SECRET is not set"],
    });
    vi.restoreAllMocks();
  });

  it.each([
    ["SIGNING_SECRET is missing", { SIGNING_SECRET: undefined }],
    ["SIGNING_SECRET is too short", { SIGNING_SECRET: "short-secret" }],
    ["PUBLIC_BASE_URL is empty, as wrangler.toml ships it", { PUBLIC_BASE_URL: "" }],
    ["PUBLIC_BASE_URL is not a URL", { PUBLIC_BASE_URL: "paperboy.example" }],
  ])("refuses a sign-up with 503 when %s, writing and sending nothing", async (_name, override) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = { ...env, ...override };
    const before = await countSubscribers();

    const api = await app.request(
      "/subscribe",
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: uniqueEmail() }) },
      broken,
    );
    expect(api.status).toBe(503);
    expect(api.headers.get("cache-control")).toBe("no-store");
    expect(await api.json()).toEqual({ error: { code: "misconfigured", message: MISCONFIGURED } });

    const page = await app.request(
      "/subscribe",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: new URLSearchParams({ email: uniqueEmail() }).toString(),
      },
      broken,
    );
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(headingOf(html)).toBe("paperboy is unavailable");
    expect(html).toContain(MISCONFIGURED);
    vi.restoreAllMocks();

    expect(await countSubscribers()).toBe(before);
    expect(await mockSends()).toEqual([]);
  });

  it("serves normally with the same settings once they are complete", async () => {
    const response = await app.request("/healthz", {}, { ...env });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
  });
});
