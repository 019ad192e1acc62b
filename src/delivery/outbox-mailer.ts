import type { Mailer, OutgoingEmail, SendOptions, SendResult } from "./mailer";
import { MAX_BATCH_SIZE } from "./mailer";

/**
 * Development mailer: stores each message in the D1 `outbox` table, listed at /dev/outbox.
 * Like Resend, a repeated idempotency key does not store a message twice.
 */
export function createOutboxMailer(db: D1Database, now: () => number = Date.now): Mailer {
  async function store(emails: OutgoingEmail[], idempotencyKey: string): Promise<SendResult> {
    const createdAt = now();
    const insert = db.prepare(
      `INSERT INTO outbox (created_at, idempotency_key, sender, recipient, subject, headers, html, text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (idempotency_key, recipient) DO UPDATE SET idempotency_key = excluded.idempotency_key
       RETURNING id`,
    );
    const results = await db.batch<{ id: number }>(
      emails.map((email) =>
        insert.bind(
          createdAt,
          idempotencyKey,
          email.from,
          email.to,
          email.subject,
          JSON.stringify(email.headers ?? {}),
          email.html,
          email.text,
        ),
      ),
    );
    return { ok: true, ids: results.map((result) => `outbox_${result.results[0]!.id}`) };
  }
  return {
    kind: "outbox",
    send: (email: OutgoingEmail, { idempotencyKey }: SendOptions) => store([email], idempotencyKey),
    sendBatch(emails: OutgoingEmail[], { idempotencyKey }: SendOptions) {
      if (emails.length === 0 || emails.length > MAX_BATCH_SIZE)
        throw new RangeError(`a batch holds 1 to ${MAX_BATCH_SIZE} emails, got ${emails.length}`);
      return store(emails, idempotencyKey);
    },
  };
}
