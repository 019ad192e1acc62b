import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { pruneExpiredRecords } from "../../src/operations/prune";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 27, 6);

it("forgets old webhook ids, old Resend message ids and old outbox mail, and keeps the rest", async () => {
  await env.DB.batch([
    env.DB.prepare("INSERT INTO webhook_events (id, type, received_at) VALUES ('old', 'email.bounced', ?), ('new', 'email.bounced', ?)").bind(NOW - 31 * DAY, NOW - DAY),
    env.DB.prepare("INSERT INTO digests (edition, cadence, status, ready_at, created_at, updated_at) VALUES ('2026-10-01', 'daily', 'sent', 1, 1, 1)"),
    env.DB.prepare(
      `INSERT INTO digest_chunks (edition, chunk, slot, member_count, status, resend_ids, sent_count, updated_at, sent_at)
       VALUES ('2026-10-01', 0, 1, 100, 'sent', '["a"]', 100, 1, ?), ('2026-10-01', 1, 1, 100, 'sent', '["b"]', 100, 1, ?)`,
    ).bind(NOW - 40 * DAY, NOW - 2 * DAY),
    env.DB.prepare(
      "INSERT INTO outbox (created_at, sender, recipient, subject, headers, html, text) VALUES (?, 's', 'old@example.com', 's', '{}', 'h', 't'), (?, 's', 'new@example.com', 's', '{}', 'h', 't')",
    ).bind(NOW - 8 * DAY, NOW - DAY),
  ]);

  await pruneExpiredRecords(env.DB, NOW);

  const webhooks = await env.DB.prepare("SELECT id FROM webhook_events ORDER BY id").all<{ id: string }>();
  expect(webhooks.results.map((row) => row.id)).toEqual(["new"]);
  const chunks = await env.DB.prepare("SELECT chunk, resend_ids, sent_count FROM digest_chunks ORDER BY chunk").all();
  expect(chunks.results).toEqual([
    { chunk: 0, resend_ids: null, sent_count: 100 },
    { chunk: 1, resend_ids: '["b"]', sent_count: 100 },
  ]);
  const outbox = await env.DB.prepare("SELECT recipient FROM outbox").all<{ recipient: string }>();
  expect(outbox.results.map((row) => row.recipient)).toEqual(["new@example.com"]);
});

it("forgets which readers an edition was frozen for 14 days after it was ready, and keeps the edition and its counts", async () => {
  const edition = (day: string, readyAt: number) =>
    env.DB.prepare(
      "INSERT INTO digests (edition, cadence, status, ready_at, recipient_count, created_at, updated_at) VALUES (?1, ?2, 'sent', ?3, 2, ?3, ?3)",
    ).bind(day, day.includes("W") ? "weekly" : "daily", readyAt);
  await env.DB.batch([
    edition("2026-11-11", NOW - 15 * DAY),
    edition("2026-W45", NOW - 14 * DAY - 1),
    edition("2026-11-13", NOW - 13 * DAY),
    edition("2026-11-25", NOW - DAY),
    env.DB.prepare(
      `INSERT INTO deliveries (edition, subscriber_id, chunk) VALUES
       ('2026-11-11', 1, 0), ('2026-11-11', 2, NULL), ('2026-W45', 1, 0), ('2026-11-13', 1, 0), ('2026-11-25', 1, 0), ('2026-11-25', 2, 0)`,
    ),
  ]);

  await pruneExpiredRecords(env.DB, NOW);

  const { results } = await env.DB.prepare("SELECT edition, subscriber_id FROM deliveries ORDER BY edition, subscriber_id").all();
  expect(results).toEqual([
    { edition: "2026-11-13", subscriber_id: 1 },
    { edition: "2026-11-25", subscriber_id: 1 },
    { edition: "2026-11-25", subscriber_id: 2 },
  ]);
  const kept = await env.DB.prepare("SELECT edition, recipient_count FROM digests WHERE edition IN ('2026-11-11', '2026-W45') ORDER BY edition").all();
  expect(kept.results).toEqual([
    { edition: "2026-11-11", recipient_count: 2 },
    { edition: "2026-W45", recipient_count: 2 },
  ]);
});
