/**
 * Erasure with suppression: deleting someone's data must not let the address be signed up
 * again by a stranger, so a keyed hash of it (HMAC-SHA256 with SIGNING_SECRET) stays behind.
 * The hash cannot be reversed without the secret and matches only the same address.
 */
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

/**
 * Removes a subscriber and everything that names them (their row, their waiting and local outbox mail),
 * keeping only the suppression hash. Returns false when there was no such subscriber.
 */
export async function eraseSubscriber(
  db: D1Database,
  secret: string,
  subscriber: { id: number; email: string; emailKey: string },
  reason: "deleted_by_subscriber" | "deleted_by_operator",
  now: number,
): Promise<boolean> {
  const [, deleted] = await db.batch([
    db
      .prepare("INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?) ON CONFLICT (email_hash) DO NOTHING")
      .bind(await addressHash(secret, subscriber.emailKey), reason, now),
    db.prepare("DELETE FROM subscribers WHERE id = ?").bind(subscriber.id),
    db.prepare("DELETE FROM outbox WHERE lower(recipient) = ?").bind(subscriber.emailKey),
    // Mail in a batch already under way goes out as it is (its payload is fixed) and is dropped when settled.
    db.prepare("DELETE FROM mail_outbox WHERE subscriber_id = ? AND status != 'sending'").bind(subscriber.id),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}
