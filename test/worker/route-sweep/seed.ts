/**
 * What the route sweep starts from: subscribers in every status and with their own choices,
 * published daily and weekly editions with their renderings, papers offered and readers frozen,
 * a skipped edition, a webhook already seen, a suppressed address, an outbox row, unknown chunks.
 * Every table holds rows, so a refused request that touched one would show. Storage is the sweep file's own.
 */
import { env } from "cloudflare:workers";
import { PLACEHOLDERS } from "../../../src/presentation/render-email";
import { addressHash } from "../../../src/subscribers/privacy";
import { CONFIRM_TOKEN_TTL_MS, signToken, type TokenPurpose } from "../../../src/subscribers/tokens";
import { makePaper } from "../../fixtures/papers";
import { insertSubscribers, type TestSubscriber } from "../../support/worker/db";
import { testConfig } from "../../support/worker/services";

const SIGNING_SECRET = testConfig().signingSecret;

export const PUBLISHED = ["2026-01-05", "2026-01-06"];
/** A published weekly edition. */
export const PUBLISHED_WEEK = "2026-W02";
export const SKIPPED = "2026-01-07";
/**
 * The one day the mock Hugging Face lists papers for, so previews render. Nothing may send it:
 * a queued digest would be delivered by the Worker's own consumer in the background, changing
 * state while a later probe is being checked.
 */
export const PREVIEW_ONLY = "2026-03-02";
/** Its ISO week, whose weekly edition would hold its papers: nothing may send that either. */
export const PREVIEW_ONLY_WEEK = "2026-W10";
export const SEEN_WEBHOOK = "msg_already_seen";
/**
 * An edition sent with failures, every reader's slot frozen, whose chunks 0–3 have an unknown outcome,
 * for the operator's decision. Their locked payloads hold no recipients, so resending one sends nothing.
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
    env.DB.prepare("UPDATE subscribers SET cadence = 'weekly', digest_size = 5, topics = '[\"agents\",\"mamba\"]', timezone = 'Asia/Kolkata', delivery_hour = 9 WHERE id = ?").bind(
      subscribers[1]!.id,
    ),
    ...[...PUBLISHED, PUBLISHED_WEEK].map((edition, index) => {
      const papers = [makePaper({ title: `Paper of ${edition}` }), makePaper()];
      const readyAt = now - index;
      return env.DB.prepare(
        `INSERT INTO digests (edition, cadence, status, subject, papers, sample, ready_at, frozen_through, last_slot, chunk_count, recipient_count, created_at, updated_at, completed_at)
         VALUES (?1, ?2, 'sent', ?3, ?4, 0, ?5, ?5, ?5, 1, 4, ?5, ?5, ?5)`,
      ).bind(edition, edition.includes("W") ? "weekly" : "daily", `paperboy · ${edition}`, JSON.stringify(papers), readyAt);
    }),
    ...[...PUBLISHED, PUBLISHED_WEEK].map((edition) =>
      env.DB.prepare(
        `INSERT INTO digest_renderings (edition, key, paper_ids, subject, html, text, created_at) VALUES (?1, 'seeded', '[]', ?2, ?3, ?4, ?5)`,
      ).bind(edition, `paperboy · ${edition}`, `<a href="${PLACEHOLDERS.unsubscribeUrl}">Unsubscribe</a>`, `Unsubscribe: ${PLACEHOLDERS.unsubscribeUrl}`, now),
    ),
    env.DB.prepare(
      `INSERT INTO digests (edition, cadence, status, skip_reason, created_at, updated_at, completed_at) VALUES (?1, 'daily', 'skipped', 'no papers listed for this period', ?2, ?2, ?2)`,
    ).bind(SKIPPED, now),
    env.DB.prepare(
      `INSERT INTO digest_chunks (edition, chunk, slot, members, member_count, status, attempts, sent_count, updated_at, sent_at) VALUES (?1, 0, ?2, NULL, 4, 'sent', 1, 4, ?2, ?2)`,
    ).bind(PUBLISHED[0], now),
    env.DB.prepare("INSERT INTO deliveries (edition, subscriber_id, chunk) SELECT ?, id, 0 FROM subscribers WHERE email LIKE 'sweep-active-%'").bind(PUBLISHED[0]),
    env.DB.prepare("INSERT INTO edition_papers (cadence, paper_id, edition) VALUES ('daily', '2601.00001', ?1), ('weekly', '2601.00001', ?2)").bind(PUBLISHED[0], PUBLISHED_WEEK),
    env.DB.prepare(
      `INSERT INTO digests (edition, cadence, status, subject, papers, sample, ready_at, frozen_through, last_slot, chunk_count, recipient_count, created_at, updated_at, completed_at)
       VALUES (?1, 'daily', 'sent_with_failures', 'paperboy · 8 Jan 2026', ?2, 0, ?3, ?3, ?3, 4, 0, ?3, ?3, ?3)`,
    ).bind(WITH_UNKNOWN_CHUNKS, JSON.stringify([makePaper({ title: "Paper of an unknown day" })]), now),
    ...[0, 1, 2, 3].map((chunk) =>
      env.DB.prepare(
        `INSERT INTO digest_chunks (edition, chunk, slot, members, member_count, status, attempts, recipients, payload_locked, locked_at, last_error, updated_at)
         VALUES (?1, ?2, ?3, '[]', 0, 'unknown', 3, '[]', 1, ?3, 'outcome unknown since yesterday', ?4)`,
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

