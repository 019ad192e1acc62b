import type { BatchAnswer, Mailer, OutgoingEmail } from "./mailer";
import { MAX_BATCH_SIZE } from "./mailer";

/**
 * Development mailer: stores each message in the D1 `outbox` table, listed at /dev/outbox. It takes
 * the same batches as Resend, and like Resend a repeated idempotency key does not store a message twice.
 */
export function createOutboxMailer(db: D1Database, now: () => number = Date.now): Mailer {
  return {
    async sendBatch(emails: OutgoingEmail[], { idempotencyKey }): Promise<BatchAnswer> {
      if (emails.length === 0 || emails.length > MAX_BATCH_SIZE)
        throw new RangeError(`a batch holds 1 to ${MAX_BATCH_SIZE} emails, got ${emails.length}`);
      const createdAt = now();
      const insert = db.prepare(
        `INSERT INTO outbox (created_at, idempotency_key, sender, recipient, subject, headers, html, text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idempotency_key, recipient) DO UPDATE SET idempotency_key = excluded.idempotency_key
         RETURNING id`,
      );
      const results = await db.batch<{ id: number }>(
        emails.map((email) =>
          insert.bind(createdAt, idempotencyKey, email.from, email.to, email.subject, JSON.stringify(email.headers ?? {}), email.html, email.text),
        ),
      );
      return { outcome: { ok: true, ids: results.map((result) => `outbox_${result.results[0]!.id}`), refused: [] }, rateLimit: null };
    },
  };
}

/** One message in the local outbox, as /dev/outbox shows it. */
export interface OutboxMessage {
  id: number;
  /** UTC, "YYYY-MM-DD HH:MM:SS". */
  createdAt: string;
  idempotencyKey: string | null;
  from: string;
  to: string;
  subject: string;
  headers: Record<string, string>;
  html: string;
  text: string;
}

interface OutboxRow {
  id: number;
  created_at: number;
  idempotency_key: string | null;
  sender: string;
  recipient: string;
  subject: string;
  headers: string;
  html: string;
  text: string;
}

/** The newest messages first. */
export async function listOutbox(db: D1Database, limit: number): Promise<OutboxMessage[]> {
  const { results } = await db.prepare("SELECT * FROM outbox ORDER BY id DESC LIMIT ?").bind(limit).all<OutboxRow>();
  return results.map(toMessage);
}

export async function findOutboxMessage(db: D1Database, id: number): Promise<OutboxMessage | null> {
  const row = await db.prepare("SELECT * FROM outbox WHERE id = ?").bind(id).first<OutboxRow>();
  return row ? toMessage(row) : null;
}

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString().replace("T", " ").slice(0, 19),
    idempotencyKey: row.idempotency_key,
    from: row.sender,
    to: row.recipient,
    subject: row.subject,
    headers: JSON.parse(row.headers) as Record<string, string>,
    html: row.html,
    text: row.text,
  };
}
