/**
 * Upgrading a database that holds data: each migration that rebuilds a table keeps its rows and
 * what refers to them. (Every other test starts from an empty schema.) The tests share one
 * database and walk it forward: 0004 → 0005 → 0006; 0007 has a database of its own.
 */
import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { freezeDueReaders } from "../../src/digest/freeze";
import { makePaper } from "../fixtures/papers";
import { testClock, testServices } from "../support/worker/services";

const migrations = (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS;
const db = (env as unknown as { UPGRADE_DB: D1Database }).UPGRADE_DB;
const upTo = (name: string) => migrations.slice(0, migrations.findIndex((migration) => migration.name.startsWith(name)) + 1);

it("0005 keeps digests, chunks and the papers sent, and says which digests went out with failures", async () => {
  await applyD1Migrations(db, upTo("0004"));
  const at = Date.parse("2026-11-20T06:00:00Z");
  await db.batch([
    db.prepare("INSERT INTO digests (date, status, subject, papers, frozen_at, chunk_count, recipient_count, created_at, updated_at, completed_at) VALUES (?, 'sent', 's', '[]', ?, 2, 150, ?, ?, ?)").bind("2026-11-19", at, at, at, at),
    db.prepare("INSERT INTO digests (date, status, subject, papers, frozen_at, chunk_count, recipient_count, created_at, updated_at, completed_at) VALUES (?, 'sent', 's', '[]', ?, 1, 5, ?, ?, ?)").bind("2026-11-18", at, at, at, at),
    db.prepare("INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, sent_count, rejected_count, updated_at, sent_at) VALUES ('2026-11-19', 0, 0, 100, 'sent', 1, 100, 0, ?, ?)").bind(at, at),
    db.prepare("INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, recipients, payload_locked, last_error, updated_at) VALUES ('2026-11-19', 1, 100, 150, 'failed', 8, '[]', 1, 'transient: 500', ?)").bind(at),
    db.prepare("INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, sent_count, updated_at, sent_at) VALUES ('2026-11-18', 0, 0, 5, 'sent', 1, 5, ?, ?)").bind(at, at),
    db.prepare("INSERT INTO sent_papers (paper_id, digest_date) VALUES ('2611.00001', '2026-11-19')"),
  ]);

  await applyD1Migrations(db, upTo("0005"));

  const digests = await db.prepare("SELECT date, status, recipient_count FROM digests ORDER BY date").all();
  expect(digests.results).toEqual([
    { date: "2026-11-18", status: "sent", recipient_count: 5 },
    { date: "2026-11-19", status: "sent_with_failures", recipient_count: 150 },
  ]);
  const chunks = await db.prepare("SELECT digest_date, chunk, status, failure_kind, payload_locked, locked_at, sent_count FROM digest_chunks ORDER BY digest_date, chunk").all();
  expect(chunks.results).toEqual([
    { digest_date: "2026-11-18", chunk: 0, status: "sent", failure_kind: null, payload_locked: 0, locked_at: null, sent_count: 5 },
    { digest_date: "2026-11-19", chunk: 0, status: "sent", failure_kind: null, payload_locked: 0, locked_at: null, sent_count: 100 },
    { digest_date: "2026-11-19", chunk: 1, status: "failed", failure_kind: "transient", payload_locked: 1, locked_at: at, sent_count: 0 },
  ]);
  expect(await db.prepare("SELECT paper_id, digest_date FROM sent_papers").all()).toMatchObject({ results: [{ paper_id: "2611.00001", digest_date: "2026-11-19" }] });
  expect(await db.prepare("PRAGMA foreign_key_check").all()).toMatchObject({ results: [] });
  const { results: schema } = await db.prepare("SELECT name, sql FROM sqlite_master WHERE name IN ('digest_chunks', 'sent_papers') ORDER BY name").all<{ sql: string }>();
  for (const table of schema) expect(table.sql).toMatch(/REFERENCES "?digests"? \(date\)/);
});

describe("0006, editions", () => {
  const HOUR = 60 * 60 * 1000;
  // Each digest was built (frozen, in the old words) at 06:00 UTC the day after its day.
  const builtAt = (day: string) => Date.parse(`${day}T06:00:00Z`) + 24 * HOUR;
  const paper = makePaper({ id: "2611.00024" });
  const DIGEST = "INSERT INTO digests (date, status, subject, papers, html, text, frozen_at, chunk_count, recipient_count, source_attempts, last_error, skip_reason, created_at, updated_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?)";

  beforeAll(async () => {
    await applyD1Migrations(db, upTo("0005"));
    const long = Date.parse("2025-01-01T00:00:00Z");
    await db.batch([
      db.prepare(
        `INSERT INTO subscribers (id, email, email_key, status, token_version, created_at, updated_at, confirmed_at, unsubscribed_at) VALUES
         (1, 'Ada@example.com', 'ada@example.com', 'active', 1, ?1, ?1, ?1, NULL), (2, 'bo@example.com', 'bo@example.com', 'active', 2, ?1, ?1, ?1, NULL),
         (3, 'cy@example.com', 'cy@example.com', 'unsubscribed', 1, ?1, ?1, ?1, ?1)`,
      ).bind(long),
      db.prepare(DIGEST).bind("2026-11-23", "skipped", null, null, null, null, null, 0, 0, 0, null, "no papers listed for this day", 1),
      db.prepare(DIGEST).bind("2026-11-24", "sent", "S24", JSON.stringify([paper]), "<p>24</p>", "24", builtAt("2026-11-24"), 1, 2, 1, null, null, builtAt("2026-11-24")),
      db.prepare(DIGEST).bind("2026-11-25", "sending", "S25", JSON.stringify([makePaper({ id: "2611.00025" })]), "<p>25</p>", "25", builtAt("2026-11-25"), 2, 2, 1, null, null, null),
      db.prepare(DIGEST).bind("2026-11-26", "ready", "S26", JSON.stringify([makePaper({ id: "2611.00026" })]), "<p>26</p>", "26", builtAt("2026-11-26"), 0, 0, 1, null, null, null),
      db.prepare(DIGEST).bind("2026-11-27", "waiting", null, null, null, null, null, 0, 0, 2, "http_503: unavailable", null, null),
      db.prepare(
        `INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, sent_count, updated_at, sent_at) VALUES
         ('2026-11-24', 0, 0, 2, 'sent', 1, 2, ?1, ?1), ('2026-11-25', 0, 0, 1, 'sent', 1, 1, ?2, ?2)`,
      ).bind(builtAt("2026-11-24"), builtAt("2026-11-25")),
      db.prepare("INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, updated_at) VALUES ('2026-11-25', 1, 1, 3, 'pending', 0, ?)").bind(builtAt("2026-11-25")),
      db.prepare("INSERT INTO sent_papers (paper_id, digest_date) VALUES ('2611.00024', '2026-11-24'), ('2611.00025', '2026-11-25'), ('2611.00026', '2026-11-26')"),
    ]);
    await applyD1Migrations(db, migrations);
  });

  it("keeps every reader with today's digest as their choice: daily, ten papers, every topic, 07:00 UTC", async () => {
    const { results } = await db.prepare("SELECT id, email, status, token_version, cadence, digest_size, topics, timezone, delivery_hour, schedule_changed_at FROM subscribers ORDER BY id").all();
    const defaults = { cadence: "daily", digest_size: 10, topics: "[]", timezone: "UTC", delivery_hour: 7, schedule_changed_at: null };
    expect(results).toEqual([
      { id: 1, email: "Ada@example.com", status: "active", token_version: 1, ...defaults },
      { id: 2, email: "bo@example.com", status: "active", token_version: 2, ...defaults },
      { id: 3, email: "cy@example.com", status: "unsubscribed", token_version: 1, ...defaults },
    ]);
    expect((await db.prepare("SELECT timezone, delivery_hour FROM delivery_groups").all()).results).toEqual([{ timezone: "UTC", delivery_hour: 7 }]);
  });

  it("turns each digest into its daily edition, ready when it was built, those that went out frozen for good", async () => {
    const { results } = await db
      .prepare(
        `SELECT edition, cadence, status, subject, ready_at, frozen_through, last_slot, chunk_count, recipient_count, unmatched_count, missed_count,
           source_attempts, last_error, skip_reason, json_array_length(papers) AS papers FROM digests WHERE edition >= '2026-11-23' ORDER BY edition`,
      )
      .all();
    const none = { unmatched_count: 0, missed_count: 0, cadence: "daily" };
    // Their readers were frozen by the old fan-out, which left no deliveries rows: no freeze may take them again.
    const went = (day: string) => ({ ready_at: builtAt(day), frozen_through: Number.MAX_SAFE_INTEGER, last_slot: Number.MAX_SAFE_INTEGER });
    expect(results).toEqual([
      { ...none, edition: "2026-11-23", status: "skipped", subject: null, ready_at: null, frozen_through: null, last_slot: null, chunk_count: 0, recipient_count: 0, source_attempts: 0, last_error: null, skip_reason: "no papers listed for this day", papers: null },
      { ...none, edition: "2026-11-24", status: "sent", subject: "S24", ...went("2026-11-24"), chunk_count: 1, recipient_count: 2, source_attempts: 1, last_error: null, skip_reason: null, papers: 1 },
      { ...none, edition: "2026-11-25", status: "sending", subject: "S25", ...went("2026-11-25"), chunk_count: 2, recipient_count: 2, source_attempts: 1, last_error: null, skip_reason: null, papers: 1 },
      { ...none, edition: "2026-11-26", status: "ready", subject: "S26", ready_at: builtAt("2026-11-26"), frozen_through: null, last_slot: null, chunk_count: 0, recipient_count: 0, source_attempts: 1, last_error: null, skip_reason: null, papers: 1 },
      { ...none, edition: "2026-11-27", status: "waiting", subject: null, ready_at: null, frozen_through: null, last_slot: null, chunk_count: 0, recipient_count: 0, source_attempts: 2, last_error: "http_503: unavailable", skip_reason: null, papers: null },
    ]);
  });

  it("keeps each rendered email as the edition's one legacy rendering, and the papers sent as the daily cadence's", async () => {
    const renderings = await db.prepare("SELECT edition, key, paper_ids, subject, html, text FROM digest_renderings WHERE edition >= '2026-11-23' ORDER BY edition").all();
    expect(renderings.results).toEqual([
      { edition: "2026-11-24", key: "legacy", paper_ids: '["2611.00024"]', subject: "S24", html: "<p>24</p>", text: "24" },
      { edition: "2026-11-25", key: "legacy", paper_ids: '["2611.00025"]', subject: "S25", html: "<p>25</p>", text: "25" },
      { edition: "2026-11-26", key: "legacy", paper_ids: '["2611.00026"]', subject: "S26", html: "<p>26</p>", text: "26" },
    ]);
    const papers = await db.prepare("SELECT cadence, paper_id, edition FROM edition_papers ORDER BY paper_id").all();
    expect(papers.results).toEqual([
      { cadence: "daily", paper_id: "2611.00001", edition: "2026-11-19" },
      { cadence: "daily", paper_id: "2611.00024", edition: "2026-11-24" },
      { cadence: "daily", paper_id: "2611.00025", edition: "2026-11-25" },
      { cadence: "daily", paper_id: "2611.00026", edition: "2026-11-26" },
    ]);
  });

  it("keeps settled chunks with their counts in the slot of their freeze, and fails an unsent one for an operator", async () => {
    const { results } = await db
      .prepare("SELECT edition, chunk, slot, members, member_count, status, failure_kind, last_error, sent_count FROM digest_chunks WHERE edition >= '2026-11-23' ORDER BY edition, chunk")
      .all();
    expect(results).toEqual([
      { edition: "2026-11-24", chunk: 0, slot: builtAt("2026-11-24"), members: null, member_count: 2, status: "sent", failure_kind: null, last_error: null, sent_count: 2 },
      { edition: "2026-11-25", chunk: 0, slot: builtAt("2026-11-25"), members: null, member_count: 1, status: "sent", failure_kind: null, last_error: null, sent_count: 1 },
      { edition: "2026-11-25", chunk: 1, slot: builtAt("2026-11-25"), members: null, member_count: 2, status: "failed", failure_kind: "permanent", last_error: "not sent before the upgrade to editions", sent_count: 0 },
    ]);
    expect((await db.prepare("SELECT COUNT(*) AS n FROM deliveries").first())?.n).toBe(0);
    expect(await db.prepare("PRAGMA foreign_key_check").all()).toMatchObject({ results: [] });
    const { results: schema } = await db
      .prepare("SELECT name, sql FROM sqlite_master WHERE name IN ('digest_chunks', 'digest_renderings', 'edition_papers') ORDER BY name")
      .all<{ name: string; sql: string }>();
    expect(schema.map((table) => table.name)).toEqual(["digest_chunks", "digest_renderings", "edition_papers"]);
    for (const table of schema) expect(table.sql).toMatch(/REFERENCES "?digests"? \(edition\)/);
  });

  it("never sends an edition again to the readers who had it before the upgrade, when the cron freezes its slots", async () => {
    // 12:00 UTC on 26 November: the readers' 07:00 slots of the 24th's and 25th's editions have passed, and both may still be sent.
    const at = Date.parse("2026-11-26T12:00:00Z");
    const deps = testServices({ db, clock: testClock(at) });
    for (const edition of ["2026-11-24", "2026-11-25"]) await freezeDueReaders(deps, edition, at);

    const frozen = await db.prepare("SELECT edition, subscriber_id FROM deliveries WHERE edition IN ('2026-11-24', '2026-11-25') AND chunk IS NOT NULL").all();
    expect(frozen.results).toEqual([]);
    expect(deps.queue.sent).toEqual([]);
  });
});

it("0007 keeps the outbox's mails and their batches, takes the new kinds, never reuses an id, and keeps suppressions", async () => {
  const fresh = (env as unknown as { UPGRADE_DB_0007: D1Database }).UPGRADE_DB_0007;
  await applyD1Migrations(fresh, upTo("0005"));
  await fresh.batch([
    fresh.prepare("INSERT INTO mail_outbox (id, kind, subscriber_id, status, batch_key, created_at, settled_at) VALUES (7, 'confirm', 1, 'sent', 'mail/a', 1, 2)"),
    fresh.prepare("INSERT INTO mail_outbox (id, kind, subscriber_id, status, created_at) VALUES (8, 'welcome', 1, 'pending', 3)"),
    fresh.prepare("INSERT INTO suppressions (email_hash, reason, created_at) VALUES ('abc', 'deleted_by_subscriber', 1)"),
  ]);

  await applyD1Migrations(fresh, migrations);

  expect((await fresh.prepare("SELECT id, kind, status, batch_key FROM mail_outbox ORDER BY id").all()).results).toEqual([
    { id: 7, kind: "confirm", status: "sent", batch_key: "mail/a" },
    { id: 8, kind: "welcome", status: "pending", batch_key: null },
  ]);
  expect(await fresh.prepare("SELECT reason, reclaimed_by FROM suppressions").first()).toEqual({ reason: "deleted_by_subscriber", reclaimed_by: null });
  // A deleted mail's id never comes back: a batch key derived from ids is never one Resend has seen.
  await fresh.prepare("DELETE FROM mail_outbox WHERE id = 8").run();
  const inserted = await fresh
    .prepare("INSERT INTO mail_outbox (kind, subscriber_id, status, created_at) VALUES ('already_subscribed', 1, 'pending', 4) RETURNING id")
    .first<{ id: number }>();
  expect(inserted!.id).toBe(9);
  await expect(fresh.prepare("INSERT INTO mail_outbox (kind, subscriber_id, status, created_at) VALUES ('newsletter', 1, 'pending', 5)").run()).rejects.toThrow(/CHECK/);
});
