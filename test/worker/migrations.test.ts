/**
 * Upgrading a database that holds data: each migration that rebuilds a table keeps its rows and
 * what refers to them. (Every other test starts from an empty schema.)
 */
import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";

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

  await applyD1Migrations(db, migrations);

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
