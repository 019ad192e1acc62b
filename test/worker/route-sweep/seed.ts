/** What the route sweep starts from: subscribers in every status, published and skipped digests, a webhook already seen, a suppressed address, an outbox row, unknown chunks. Storage is the sweep file's own. */
import { env } from "cloudflare:workers";
import { PLACEHOLDERS } from "../../../src/presentation/render-email";
import { addressHash } from "../../../src/subscribers/privacy";
import { CONFIRM_TOKEN_TTL_MS, signToken, type TokenPurpose } from "../../../src/subscribers/tokens";
import { makePaper } from "../../fixtures/papers";
import { insertSubscribers, type TestSubscriber } from "../../support/worker/db";
import { testConfig } from "../../support/worker/services";

const SIGNING_SECRET = testConfig().signingSecret;

export const PUBLISHED = ["2026-01-05", "2026-01-06"];
export const SKIPPED = "2026-01-07";
/**
 * The one day the mock Hugging Face lists papers for, so previews render. Nothing may send it:
 * a queued digest would be delivered by the Worker's own consumer in the background, changing
 * state while a later probe is being checked.
 */
export const PREVIEW_ONLY = "2026-03-02";
export const SEEN_WEBHOOK = "msg_already_seen";
/**
 * A digest sent with failures whose chunks 0–3 have an unknown outcome, for the operator's decision.
 * Their locked payloads hold no recipients, so resending one sends nothing.
 */
export const WITH_UNKNOWN_CHUNKS = "2026-01-08";

export interface Seeded {
  subscribers: TestSubscriber[];
  /**
   * Real tokens: confirmation links within their week, unsubscribe links, and ones that cannot
   * work (expired, revoked, for a stranger, signed with another secret).
   */
  tokens: { confirm: string[]; unsubscribe: string[]; preferences: string[]; dead: string[] };
}

export async function seed(): Promise<Seeded> {
  const now = Date.now();
  const subscribers = [
    ...(await insertSubscribers(4, { status: "active", tag: "sweep-active" })),
    ...(await insertSubscribers(3, { status: "pending", tag: "sweep-pending" })),
    ...(await insertSubscribers(3, { status: "unsubscribed", tag: "sweep-left" })),
    ...(await insertSubscribers(2, { status: "active", tag: "sweep-bounced" })),
    ...(await insertSubscribers(1, { status: "active", tag: "sweep-complained" })),
  ];
  await env.DB.batch([
    env.DB.prepare("UPDATE subscribers SET status = 'bounced', bounced_at = ?1 WHERE email LIKE 'sweep-bounced-%'").bind(now),
    env.DB.prepare("UPDATE subscribers SET status = 'complained', complained_at = ?1 WHERE email LIKE 'sweep-complained-%'").bind(now),
    env.DB.prepare("UPDATE subscribers SET token_version = 3 WHERE id = ?").bind(subscribers[0]!.id),
    ...PUBLISHED.map((date, index) => {
      const papers = [makePaper({ title: `Paper of ${date}` }), makePaper()];
      return env.DB.prepare(
        `INSERT INTO digests (date, status, subject, papers, html, text, sample, frozen_at, chunk_count, recipient_count, created_at, updated_at, completed_at)
         VALUES (?1, 'sent', ?2, ?3, ?4, ?5, 0, ?6, 1, 4, ?6, ?6, ?6)`,
      ).bind(
        date,
        `paperboy · ${date}`,
        JSON.stringify(papers),
        `<a href="${PLACEHOLDERS.unsubscribeUrl}">Unsubscribe</a>`,
        `Unsubscribe: ${PLACEHOLDERS.unsubscribeUrl}`,
        now - index,
      );
    }),
    env.DB.prepare(
      `INSERT INTO digests (date, status, skip_reason, created_at, updated_at, completed_at) VALUES (?1, 'skipped', 'no papers listed for this day', ?2, ?2, ?2)`,
    ).bind(SKIPPED, now),
    env.DB.prepare(
      `INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, sent_count, updated_at, sent_at) VALUES (?1, 0, 0, 100, 'sent', 1, 4, ?2, ?2)`,
    ).bind(PUBLISHED[0], now),
    env.DB.prepare("INSERT INTO sent_papers (paper_id, digest_date) VALUES ('2601.00001', ?)").bind(PUBLISHED[0]),
    env.DB.prepare(
      `INSERT INTO digests (date, status, subject, papers, html, text, sample, frozen_at, chunk_count, recipient_count, created_at, updated_at, completed_at)
       VALUES (?1, 'sent_with_failures', 'paperboy · 8 Jan 2026', ?2, '<p>Unsubscribe</p>', 'Unsubscribe', 0, ?3, 4, 0, ?3, ?3, ?3)`,
    ).bind(WITH_UNKNOWN_CHUNKS, JSON.stringify([makePaper({ title: "Paper of an unknown day" })]), now),
    ...[0, 1, 2, 3].map((chunk) =>
      env.DB.prepare(
        `INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, recipients, payload_locked, locked_at, last_error, updated_at)
         VALUES (?1, ?2, ?2 * 100, ?2 * 100 + 100, 'unknown', 3, '[]', 1, ?3, 'outcome unknown since yesterday', ?4)`,
      ).bind(WITH_UNKNOWN_CHUNKS, chunk, now - 24 * 60 * 60 * 1000, now),
    ),
    env.DB.prepare("INSERT INTO webhook_events (id, type, received_at) VALUES (?, 'email.delivered', ?)").bind(SEEN_WEBHOOK, now),
    env.DB.prepare("INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, 'deleted_by_subscriber', ?)").bind(
      await addressHash(SIGNING_SECRET, "erased@example.org"),
      now,
    ),
    env.DB.prepare(
      `INSERT INTO outbox (created_at, idempotency_key, sender, recipient, subject, headers, html, text) VALUES (?, 'seed', 'a@example.org', 'b@example.org', 'Hi', '{}', '<p>Hi</p>', 'Hi')`,
    ).bind(now),
  ]);

  const tokens: Seeded["tokens"] = { confirm: [], unsubscribe: [], preferences: [], dead: [] };
  const sign = (secret: string, purpose: TokenPurpose, subscriberId: number, tokenVersion: number, expiresAt: number | null) =>
    signToken(secret, { purpose, subscriberId, tokenVersion, expiresAt });
  for (const { id } of subscribers) {
    const version = id === subscribers[0]!.id ? 3 : 1;
    tokens.confirm.push(await sign(SIGNING_SECRET, "confirm", id, version, now + CONFIRM_TOKEN_TTL_MS));
    tokens.unsubscribe.push(await sign(SIGNING_SECRET, "unsubscribe", id, version, null));
    tokens.preferences.push(await sign(SIGNING_SECRET, "preferences", id, version, null));
    tokens.dead.push(
      await sign(SIGNING_SECRET, "confirm", id, version, now - 1000),
      await sign(SIGNING_SECRET, "unsubscribe", id, version + 1, null),
      await sign(SIGNING_SECRET, "preferences", id, version + 1, null),
    );
  }
  tokens.dead.push(
    await sign(SIGNING_SECRET, "unsubscribe", 987_654, 1, null),
    await sign(SIGNING_SECRET, "confirm", 987_654, 1, now + CONFIRM_TOKEN_TTL_MS),
    await sign("another-signing-secret-0123456789", "unsubscribe", subscribers[0]!.id, 3, null),
  );
  return { subscribers, tokens };
}

