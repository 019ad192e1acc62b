import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { pruneExpiredRecords } from "../../src/operations/prune";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 27, 6);

it("forgets old webhook ids, old Resend message ids and old outbox mail, and keeps the rest", async () => {
  await env.DB.batch([
    env.DB.prepare("INSERT INTO webhook_events (id, type, received_at) VALUES ('old', 'email.bounced', ?), ('new', 'email.bounced', ?)").bind(NOW - 31 * DAY, NOW - DAY),
    env.DB.prepare("INSERT INTO digests (date, status, created_at, updated_at) VALUES ('2026-10-01', 'sent', 1, 1)"),
    env.DB.prepare(
      `INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, resend_ids, sent_count, updated_at, sent_at)
       VALUES ('2026-10-01', 0, 0, 100, 'sent', '["a"]', 100, 1, ?), ('2026-10-01', 1, 100, 200, 'sent', '["b"]', 100, 1, ?)`,
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
