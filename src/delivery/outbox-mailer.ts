import type { BatchAnswer, Mailer, OutgoingEmail } from "./mailer";
import { MAX_BATCH_SIZE } from "./mailer";
import { tagProblem } from "./tags";

/**
 * Development mailer: stores each message in the D1 `outbox` table, listed at /dev/outbox. It takes
 * the same batches as Resend, and like Resend a repeated idempotency key does not store a message twice.
 * Like Resend in permissive mode, it refuses an email whose tags Resend would refuse, by index, and
 * stores the rest (tags only matter to Resend's webhooks, so they are not stored).
 */
export function createOutboxMailer(db: D1Database, now: () => number = Date.now): Mailer {
  return {
    async sendBatch(emails: OutgoingEmail[], { idempotencyKey }): Promise<BatchAnswer> {
      if (emails.length === 0 || emails.length > MAX_BATCH_SIZE)
        throw new RangeError(`a batch holds 1 to ${MAX_BATCH_SIZE} emails, got ${emails.length}`);
      const createdAt = now();
      const refused = emails.flatMap((email, index) => {
        const problem = tagProblem(email.tags);
        return problem ? [{ index, message: problem }] : [];
      });
      const refusedAt = new Set(refused.map((refusal) => refusal.index));
      const accepted = emails.filter((_, index) => !refusedAt.has(index));
      if (accepted.length === 0) return { outcome: { ok: true, ids: emails.map(() => null), refused }, rateLimit: null };
      const insert = db.prepare(
        `INSERT INTO outbox (created_at, idempotency_key, sender, recipient, subject, headers, html, text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idempotency_key, recipient) DO UPDATE SET idempotency_key = excluded.idempotency_key
         RETURNING id`,
      );
      const results = await db.batch<{ id: number }>(
        accepted.map((email) =>
          insert.bind(createdAt, idempotencyKey, email.from, email.to, email.subject, JSON.stringify(email.headers ?? {}), email.html, email.text),
        ),
      );
      const ids = results.map((result) => `outbox_${result.results[0]!.id}`);
      return { outcome: { ok: true, ids: emails.map((_, index) => (refusedAt.has(index) ? null : ids.shift()!)), refused }, rateLimit: null };
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
