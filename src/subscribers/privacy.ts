/**
 * Erasure with suppression: deleting someone's data must not let the address be signed up
 * again by a stranger, so a keyed hash of it (HMAC-SHA256 with SIGNING_SECRET) stays behind.
 * The hash cannot be reversed without the secret and matches only the same address.
 *
 * The owner can come back: a sign-up of an erased address sends one confirmation link (nothing
 * else, at most once per 10 minutes), and confirming it deletes the hash. An erasure that kept a
 * bounce or a complaint is for good, unless the operator lifts it.
 */
import { LIFTED_BY_CONFIRMING, SUPPRESSED, type SubscriberStatus, type SuppressionReason, statusesAllowing } from "./lifecycle";

export async function addressHash(secret: string, emailKey: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await suppressionKey(secret), new TextEncoder().encode(emailKey));
  return [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const keys = new Map<string, Promise<CryptoKey>>();

function suppressionKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(`suppression:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

const placeholders = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/**
 * Removes a subscriber and everything that names them (their row, their waiting and local outbox mail),
 * keeping only the suppression hash, which also keeps a bounce or complaint for good. Returns false
 * when there was no such subscriber.
 */
export async function eraseSubscriber(
  db: D1Database,
  secret: string,
  subscriber: { id: number; email: string; emailKey: string; status: SubscriberStatus },
  reason: "deleted_by_subscriber" | "deleted_by_operator",
  now: number,
): Promise<boolean> {
  const kept: SuppressionReason = SUPPRESSED.includes(subscriber.status) ? (subscriber.status as SuppressionReason) : reason;
  const [, deleted] = await db.batch([
    db
      .prepare(
        `INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (email_hash) DO UPDATE SET reason = ?2, created_at = ?3, reclaimed_by = NULL`,
      )
      .bind(await addressHash(secret, subscriber.emailKey), kept, now),
    db.prepare("DELETE FROM subscribers WHERE id = ?").bind(subscriber.id),
    db.prepare("DELETE FROM outbox WHERE lower(recipient) = ?").bind(subscriber.emailKey),
    // Mail in a batch already under way goes out as it is (its payload is fixed) and is dropped when settled.
    db.prepare("DELETE FROM mail_outbox WHERE subscriber_id = ? AND status != 'sending'").bind(subscriber.id),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

/**
 * Run in a sign-up's batch: when the address was erased by its owner, its pending sign-up becomes
 * the one whose confirmation ends the erasure.
 */
export function reclaimStatement(db: D1Database, hash: string, emailKey: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE suppressions SET reclaimed_by = (SELECT id FROM subscribers WHERE email_key = ? AND status = 'pending')
       WHERE email_hash = ? AND reason IN (${placeholders(LIFTED_BY_CONFIRMING)})`,
    )
    .bind(emailKey, hash, ...LIFTED_BY_CONFIRMING);
}

/**
 * Run in a confirmation's batch: deletes the erasure the subscriber's sign-up reclaimed, when the
 * subscriber became active at `now` (this confirmation took effect: its owner proved the mailbox is theirs).
 */
export function endReclaimedErasureStatement(db: D1Database, subscriberId: number, now: number): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM suppressions WHERE reclaimed_by = ?1 AND reason IN (${LIFTED_BY_CONFIRMING.map((_, i) => `?${i + 3}`).join(", ")})
         AND EXISTS (SELECT 1 FROM subscribers WHERE id = ?1 AND status = 'active' AND confirmed_at = ?2)`,
    )
    .bind(subscriberId, now, ...LIFTED_BY_CONFIRMING);
}

/** Whether and why an address is suppressed: erased (its hash is kept) or, on the list, bounced, complained or undeliverable. */
export interface Suppression {
  erasure: SuppressionReason | null;
  status: SubscriberStatus | null;
}

export async function findSuppression(db: D1Database, secret: string, emailKey: string): Promise<Suppression> {
  const [erased, listed] = await db.batch<{ reason?: SuppressionReason; status?: SubscriberStatus }>([
    db.prepare("SELECT reason FROM suppressions WHERE email_hash = ?").bind(await addressHash(secret, emailKey)),
    db.prepare("SELECT status FROM subscribers WHERE email_key = ?").bind(emailKey),
  ]);
  const status = listed?.results[0]?.status ?? null;
  return { erasure: erased?.results[0]?.reason ?? null, status: status && SUPPRESSED.includes(status) ? status : null };
}

/**
 * The operator lifts a suppression: the erasure's hash is deleted, and a bounced, complained or
 * undeliverable subscriber becomes unsubscribed (not mailed, free to sign up and confirm again;
 * not counted as an unsubscribe). Returns what was lifted; nothing when the address was not suppressed.
 */
export async function liftSuppression(db: D1Database, secret: string, emailKey: string, now: number): Promise<Suppression> {
  const from = statusesAllowing("lift");
  const [before, erased, lifted] = await db.batch<{ reason?: SuppressionReason; status?: SubscriberStatus }>([
    db.prepare("SELECT status FROM subscribers WHERE email_key = ?").bind(emailKey),
    db.prepare("DELETE FROM suppressions WHERE email_hash = ? RETURNING reason").bind(await addressHash(secret, emailKey)),
    db
      .prepare(
        `UPDATE subscribers SET status = 'unsubscribed', transient_bounces = 0, updated_at = ?
         WHERE email_key = ? AND status IN (${placeholders(from)})`,
      )
      .bind(now, emailKey, ...from),
  ]);
  const status = (lifted?.meta.changes ?? 0) > 0 ? (before?.results[0]?.status ?? null) : null;
  return { erasure: erased?.results[0]?.reason ?? null, status };
}
