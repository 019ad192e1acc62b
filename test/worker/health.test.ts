import { createMessageBatch, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { queue } from "../../src/entry/queue";
import { scheduled } from "../../src/entry/scheduled";
import { buildDigest, previewDigest } from "../../src/digest/build";
import { app } from "../../src/entry/fetch";
import { collectHealth } from "../../src/operations/health";
import { pruneExpiredRecords } from "../../src/operations/prune";
import { lastPapersAnswer } from "../../src/papers/answers";
import { hfItems } from "../support/hf-items";
import { resetMock } from "../support/worker/mock";
import { testConfig, testServices } from "../support/worker/services";

const health = (init: RequestInit = {}) => app.request("https://paperboy.test/admin/health", init, env);
const ADMIN = { authorization: "Bearer test-admin-token" };

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

interface RunRow {
  id: string;
  kind: string;
  started_at: number;
  finished_at: number;
  outcome: string;
  detail: string;
}

async function runs(kind: string): Promise<(Omit<RunRow, "detail"> & { detail: Record<string, unknown> })[]> {
  const { results } = await env.DB.prepare("SELECT * FROM runs WHERE kind = ? ORDER BY started_at").bind(kind).all<RunRow>();
  return results.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

/** Every JSON line the Worker logged (to stdout or stderr) while the test ran. */
function captureLogs(): () => Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const keep = (line: unknown) => {
    if (typeof line === "string" && line.startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
  };
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
  return () => lines;
}

/** Seven minutes past the current hour: a run that only sweeps (builds happen at the top of the hour). */
const sevenPast = () => Math.floor(Date.now() / 3_600_000) * 3_600_000 + 7 * MINUTE;
const cronAt = (scheduledTime: number) => createScheduledController({ scheduledTime, cron: "*/5 * * * *" });

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM runs").run();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the record of each cron run", () => {
  it("is written under the run id its log lines carry, with the cron's report", async () => {
    const logs = captureLogs();
    const before = Date.now();
    await scheduled(cronAt(sevenPast()), env);

    const [run] = await runs("cron");
    const finished = logs().find((line) => line.message === "cron finished")!;
    expect(run).toMatchObject({ id: finished.runId, outcome: "ok" });
    expect(run!.started_at).toBeGreaterThanOrEqual(before);
    expect(run!.finished_at).toBeGreaterThanOrEqual(run!.started_at);
    expect(run!.detail).toMatchObject({ scheduledFor: new Date(sevenPast()).toISOString(), mailWaits: false, freezing: [], built: [], pruned: null });
    expect(run!.detail).toHaveProperty("sweep");
  });

  it("says failed, with the error, when the run throws, and the run fails as before", async () => {
    // An edition going out makes the quarter-hour run ask the queue to freeze it; the queue is down.
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO digests (edition, cadence, status, papers, ready_at, created_at, updated_at) VALUES ('2026-11-30', 'daily', 'ready', '[]', ?1, ?1, ?1)",
    )
      .bind(now)
      .run();
    const down = { send: async () => Promise.reject(new Error("Queue send failed: internal error")) };
    const quarterPast = Math.floor(now / 3_600_000) * 3_600_000 + 15 * MINUTE;
    try {
      await expect(scheduled(cronAt(quarterPast), { ...env, DIGEST_QUEUE: down } as unknown as Env)).rejects.toThrow("Queue send failed");
    } finally {
      await env.DB.prepare("DELETE FROM digests WHERE edition = '2026-11-30'").run();
    }
    const [run] = await runs("cron");
    expect(run).toMatchObject({ outcome: "failed", detail: { error: "Queue send failed: internal error" } });
  });

  it("never fails the run when it cannot be written: one line says so", async () => {
    const logs = captureLogs();
    await env.DB.prepare("ALTER TABLE runs RENAME TO runs_elsewhere").run();
    try {
      await scheduled(cronAt(sevenPast()), env);
    } finally {
      await env.DB.prepare("ALTER TABLE runs_elsewhere RENAME TO runs").run();
    }
    const lines = logs();
    const failure = lines.find((line) => line.message === "run not recorded");
    expect(failure).toMatchObject({ level: "error", kind: "cron", outcome: "ok" });
    expect(lines.find((line) => line.message === "cron finished")).toMatchObject({ runId: failure!.runId });
  });
});

describe("the record of each queue batch", () => {
  it("counts the batch's messages by kind and those retried, under the run id of its log lines", async () => {
    const logs = captureLogs();
    const now = Date.now();
    // A chunk another consumer is sending right now: it is handed back to the queue for later.
    await env.DB.batch([
      env.DB.prepare("INSERT INTO digests (edition, cadence, status, papers, ready_at, created_at, updated_at) VALUES ('2026-11-29', 'daily', 'sending', '[]', ?1, ?1, ?1)").bind(now),
      env.DB.prepare(
        "INSERT INTO digest_chunks (edition, chunk, slot, member_count, status, attempts, lease_until, updated_at) VALUES ('2026-11-29', 0, 1, 1, 'sending', 1, ?1, ?2)",
      ).bind(now + 60_000, now),
    ]);
    const batch = createMessageBatch<unknown>("paperboy-digest", [
      { id: "a", timestamp: new Date(now), attempts: 1, body: { kind: "chunk", edition: "2026-11-29", chunk: 0 } },
      { id: "b", timestamp: new Date(now), attempts: 1, body: { kind: "chunk", edition: "2026-11-29", chunk: 7 } },
      { id: "c", timestamp: new Date(now), attempts: 1, body: "hello" },
    ]);
    try {
      await queue(batch, env);
    } finally {
      await env.DB.batch([
        env.DB.prepare("DELETE FROM digest_chunks WHERE edition = '2026-11-29'"),
        env.DB.prepare("DELETE FROM digests WHERE edition = '2026-11-29'"),
      ]);
    }

    const [run] = await runs("queue");
    expect(run).toMatchObject({ outcome: "ok", detail: { messages: 3, byKind: { chunk: 2, unknown: 1 }, retried: 1 } });
    expect(logs().find((line) => line.message === "unknown queue message dropped")).toMatchObject({ runId: run!.id });
  });
});

it("the hourly prune forgets runs after 7 days", async () => {
  const now = Date.UTC(2026, 11, 1, 6);
  const insert = env.DB.prepare("INSERT INTO runs (id, kind, started_at, finished_at, outcome, detail) VALUES (?1, 'cron', ?2, ?2, 'ok', '{}')");
  await env.DB.batch([insert.bind("old", now - 7 * DAY - 1), insert.bind("recent", now - 7 * DAY + 1)]);
  await pruneExpiredRecords(env.DB, now);
  expect((await runs("cron")).map((run) => run.id)).toEqual(["recent"]);
});

describe("the paper source's last answer", () => {
  it("is kept each time a build asks: how many papers it listed, or why it could not be used", async () => {
    const deps = testServices();
    await resetMock({ papers: { "2026-11-20": hfItems(3) } });
    await buildDigest(deps, "2026-11-20");
    expect(await lastPapersAnswer(env.DB)).toEqual({ at: expect.closeTo(deps.clock.now(), -3), ok: true, detail: { papers: 3, dropped: 0, attempts: 2 } }); // a page of papers, then an empty one

    await resetMock({ scriptedPaperStatuses: [503, 503, 503, 503] });
    await buildDigest(deps, "2026-11-21");
    const down = await lastPapersAnswer(env.DB);
    expect(down).toMatchObject({ ok: false, detail: { attempts: 4 } });
    expect(down!.detail).toHaveProperty("error", expect.stringContaining("HTTP 503"));
  });

  it("is kept when a preview asks too", async () => {
    await resetMock({ scriptedPaperFaults: ["not-json"] });
    expect(await previewDigest(testServices(), "2026-11-22")).toMatchObject({ kind: "unavailable" });
    expect(await lastPapersAnswer(env.DB)).toMatchObject({ ok: false, detail: { error: expect.stringContaining("not JSON"), attempts: 1 } });
  });
});

describe("GET /admin/health", () => {
  it("lists the last cron runs and queue batches with their run ids, the paper source's last answer and the configuration", async () => {
    await resetMock({ papers: { "2026-11-23": hfItems(2) } });
    await buildDigest(testServices(), "2026-11-23");
    await scheduled(cronAt(sevenPast()), env);
    await queue(createMessageBatch<unknown>("paperboy-digest", [{ id: "x", timestamp: new Date(), attempts: 1, body: "hello" }]), env);

    const response = await health({ headers: ADMIN });
    expect(response.status).toBe(200);
    const body = await response.json();
    const [cronRun] = await runs("cron");
    const [queueRun] = await runs("queue");
    expect(body).toMatchObject({
      cron: { runs: [{ id: cronRun!.id, startedAt: new Date(cronRun!.started_at).toISOString(), outcome: "ok" }], lastOkAt: new Date(cronRun!.started_at).toISOString(), overdue: false },
      queue: { runs: [{ id: queueRun!.id, outcome: "ok", detail: { messages: 1, byKind: { unknown: 1 }, retried: 0 } }] },
      papers: { ok: true, detail: "2 papers listed (2 requests)" },
    });
    expect(body).not.toHaveProperty("queue.overdue");
    const settings = (body as { configuration: { name: string; present: boolean }[] }).configuration;
    expect(settings.map((setting) => setting.name)).toEqual(
      expect.arrayContaining(["PUBLIC_BASE_URL", "ADMIN_TOKEN", "RESEND_API_KEY", "RESEND_WEBHOOK_SECRET", "MAIL_FROM", "TURNSTILE_SITE_KEY", "TURNSTILE_SECRET_KEY"]),
    );
    expect(settings.find((setting) => setting.name === "TURNSTILE_SECRET_KEY")).toMatchObject({ present: false, required: false });
  });

  it("never shows a setting's value", async () => {
    const text = await (await health({ headers: ADMIN })).text();
    const values = env as unknown as Record<string, string>;
    for (const name of ["SIGNING_SECRET", "ADMIN_TOKEN", "RESEND_API_KEY", "RESEND_WEBHOOK_SECRET", "PUBLIC_BASE_URL", "SENDER_POSTAL_ADDRESS"]) expect(text).not.toContain(values[name]);
    expect(text).not.toContain("digest@paperboy.test");
  });

  it("refuses anyone without the admin token, and other methods", async () => {
    expect((await health()).status).toBe(401);
    expect((await health({ headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const post = await health({ method: "POST", headers: ADMIN });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("collectHealth", () => {
  it("calls the cron overdue when no run went well in the last 15 minutes, whatever failed since", async () => {
    const now = Date.UTC(2026, 11, 1, 7);
    expect((await collectHealth(env.DB, testConfig(), now)).cron).toEqual({ runs: [], lastOkAt: null, overdue: true });

    const insert = env.DB.prepare("INSERT INTO runs (id, kind, started_at, finished_at, outcome, detail) VALUES (?1, 'cron', ?2, ?2, ?3, '{}')");
    await env.DB.batch([insert.bind("good", now - 16 * MINUTE, "ok"), insert.bind("bad", now - MINUTE, "failed")]);
    const cron = (await collectHealth(env.DB, testConfig(), now)).cron;
    expect(cron).toMatchObject({ runs: [{ id: "bad", outcome: "failed" }, { id: "good", outcome: "ok" }], lastOkAt: new Date(now - 16 * MINUTE).toISOString(), overdue: true });
    expect((await collectHealth(env.DB, testConfig(), now - 2 * MINUTE)).cron.overdue).toBe(false);
  });

  it("shows the last 10 runs of each kind", async () => {
    const insert = env.DB.prepare("INSERT INTO runs (id, kind, started_at, finished_at, outcome, detail) VALUES (?1, 'queue', ?2, ?2, 'ok', '{}')");
    await env.DB.batch(Array.from({ length: 12 }, (_, index) => insert.bind(`q${index}`, 1_000 + index)));
    const { queue: batches } = await collectHealth(env.DB, testConfig(), Date.now());
    expect(batches.runs.map((run) => run.id)).toEqual(["q11", "q10", "q9", "q8", "q7", "q6", "q5", "q4", "q3", "q2"]);
  });

  it("says which settings a production Worker still lacks", async () => {
    const config = testConfig({ RESEND_API_KEY: "", RESEND_WEBHOOK_SECRET: "", MAIL_FROM: "paperboy <digest@paperboy.example>", ENVIRONMENT: "production" });
    const missing = (await collectHealth(env.DB, config, Date.now())).configuration.filter((setting) => setting.required && !setting.present);
    expect(missing.map((setting) => setting.name)).toEqual(["RESEND_API_KEY", "RESEND_WEBHOOK_SECRET", "MAIL_FROM"]);
  });

  it("says the paper source was never asked, until it is", async () => {
    await env.DB.prepare("DELETE FROM service_answers").run();
    expect((await collectHealth(env.DB, testConfig(), Date.now())).papers).toBeNull();
  });
});
