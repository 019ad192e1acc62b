/** Test data straight in D1, and ways to read it back. Storage is shared by every test in a file. */
import { env } from "cloudflare:workers";

/** A fresh address per test. */
export function uniqueEmail(tag = "reader"): string {
  return `${tag}-${crypto.randomUUID()}@example.com`;
}

export interface SubscriberRow {
  id: number;
  email: string;
  email_key: string;
  status: string;
  token_version: number;
  confirmation_sent_at: number | null;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

export function subscriberRow(email: string): Promise<SubscriberRow | null> {
  return env.DB.prepare("SELECT * FROM subscribers WHERE email_key = ?").bind(email.toLowerCase()).first<SubscriberRow>();
}

export async function countSubscribers(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers").first<{ n: number }>();
  return row!.n;
}

export interface TestSubscriber {
  id: number;
  email: string;
}

/** Inserts `count` subscribers directly, active since `confirmedAt` (default: long ago), or in another status. */
export async function insertSubscribers(
  count: number,
  options: { confirmedAt?: number; status?: "active" | "pending" | "unsubscribed"; tag?: string } = {},
): Promise<TestSubscriber[]> {
  const { confirmedAt = Date.parse("2025-01-01T00:00:00Z"), status = "active", tag = "reader" } = options;
  const run = crypto.randomUUID().slice(0, 8);
  const emails = Array.from({ length: count }, (_, index) => `${tag}-${run}-${index}@example.com`);
  const statements: D1PreparedStatement[] = [];
  // 7 bound parameters per row; D1 allows 100 per statement.
  for (let start = 0; start < emails.length; start += 14) {
    const rows = emails.slice(start, start + 14);
    statements.push(
      env.DB.prepare(
        `INSERT INTO subscribers (email, email_key, status, created_at, updated_at, confirmed_at, unsubscribed_at) VALUES
         ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      ).bind(
        ...rows.flatMap((email) => [
          email,
          email,
          status,
          confirmedAt - 1000,
          confirmedAt,
          status === "pending" ? null : confirmedAt,
          status === "unsubscribed" ? confirmedAt : null,
        ]),
      ),
    );
  }
  if (statements.length > 0) await env.DB.batch(statements);
  const { results } = await env.DB.prepare(`SELECT id, email FROM subscribers WHERE email LIKE ? ORDER BY id`)
    .bind(`${tag}-${run}-%`)
    .all<TestSubscriber>();
  return results;
}

/** Empties the digest tables and the subscribers. */
export async function clearDigestState(): Promise<void> {
  await env.DB.batch(
    ["digest_chunks", "deliveries", "digest_renderings", "edition_papers", "digests", "send_pacer", "subscribers"].map((table) => env.DB.prepare(`DELETE FROM ${table}`)),
  );
}

/** Waits until `check` returns something truthy, polling; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the outbox has nothing left to send: the Worker's own queue consumer delivers the
 * outbox in the background, as in production. After this, the mock has seen every mail asked for so far.
 */
export async function outboxSettled(timeoutMs = 15_000): Promise<void> {
  await eventually(
    async () => {
      const row = await env.DB.prepare("SELECT COUNT(*) AS open FROM mail_outbox WHERE status IN ('pending', 'sending')").first<{ open: number }>();
      return row?.open === 0;
    },
    timeoutMs,
    "the outbox to be sent",
  );
}
