/**
 * The transactional outbox, and the one home of its state machine: confirmation and welcome mails
 * are rows in D1, written in the same batch as the change that asks for them (so no request waits
 * for Resend), and sent in batches of up to 100 per Resend call by one consumer at a time
 * (`outbox-sender.ts`). Every change of a mail's or a batch's status is a statement here:
 *
 *   mail:  pending → sending (a member of a batch; its payload rendered once) → sent
 *                                                                           → rejected (Resend refused the address)
 *                                                                           → failed (out of attempts, its subscriber
 *                                                                             erased, or unsettled for 23 hours)
 *   batch: sending (leased, attempts counted) → sent | failed
 *
 * A batch keeps the digest chunks' promises: its members are fixed when it is formed and their
 * payloads never change, its Idempotency-Key is derived from the members, and every update after
 * it is formed matches its attempt, so a sender that outlived its lease cannot undo its successor's.
 */
import { IDEMPOTENCY_SAFE_MS } from "../delivery/attempts";
import { LEASE } from "../delivery/lease";
import type { OutgoingEmail } from "../delivery/mailer";
import type { MailKind } from "./mail-render";
import { refCondition, type SubscriberRef } from "./store";

const BATCH_SIZE = 100;

export interface Batch {
  key: string;
  attempts: number;
  outcomeUnknown: boolean;
}

/**
 * The statement that asks for a mail: an outbox row for the subscriber `ref` names, when the
 * subscriber's row meets `onlyIf` (a SQL condition on it, with its parameters). Run in one D1 batch
 * with the change that asks for the mail, it is written exactly when that change is. The payload is
 * rendered when the mail's batch is formed.
 */
export function mailStatement(
  db: D1Database,
  kind: MailKind,
  ref: SubscriberRef,
  now: number,
  onlyIf: { sql: string; params: unknown[] },
): D1PreparedStatement {
  const who = refCondition(ref);
  return db
    .prepare(
      `INSERT INTO mail_outbox (kind, subscriber_id, status, created_at)
       SELECT ?, id, 'pending', ? FROM subscribers WHERE ${who.sql} AND ${onlyIf.sql}
       ON CONFLICT (subscriber_id, kind, created_at) DO NOTHING`,
    )
    .bind(kind, now, who.param, ...onlyIf.params);
}

/** Mail not settled yet: waiting, or in a batch (whose sender may have died). */
export async function hasUnsettledMail(db: D1Database): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS unsettled FROM mail_outbox WHERE status IN ('pending', 'sending') LIMIT 1").first()) !== null;
}

export async function hasWaitingMail(db: D1Database): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS waiting FROM mail_outbox WHERE status = 'pending' LIMIT 1").first()) !== null;
}

/** Up to 100 waiting mails become one batch, atomically; null when none wait. */
export async function formBatch(db: D1Database, now: number): Promise<Batch | null> {
  const { results } = await db
    .prepare("SELECT id FROM mail_outbox WHERE status = 'pending' ORDER BY id LIMIT ?")
    .bind(BATCH_SIZE)
    .all<{ id: number }>();
  if (results.length === 0) return null;
  const ids = results.map((row) => row.id);
  const key = await batchKey(ids);
  // Ids only grow, so the pending rows between the first and the last are exactly these (less any
  // another sender took meanwhile): a range keeps the statement inside D1's 100 bound parameters.
  await db.batch([
    db
      .prepare(
        `INSERT INTO mail_batches (key, status, attempts, lease_until, mail_count, created_at, updated_at)
         VALUES (?1, 'sending', 1, ?2 + ?3, ?4, ?2, ?2) ON CONFLICT (key) DO NOTHING`,
      )
      .bind(key, now, LEASE.durationMs, ids.length),
    db
      .prepare("UPDATE mail_outbox SET status = 'sending', batch_key = ? WHERE status = 'pending' AND id BETWEEN ? AND ?")
      .bind(key, ids[0], ids.at(-1)),
  ]);
  return { key, attempts: 1, outcomeUnknown: false };
}

/**
 * A batch whose sender died (its lease ran out) is taken over, with one more attempt. One formed
 * 23 hours ago or more is failed instead (its sender may have died after Resend accepted it, and
 * Resend's Idempotency-Key may have expired); the reader can ask for the mail again.
 */
export async function takeOverStaleBatch(db: D1Database, now: number): Promise<Batch | null> {
  const expired = "unsettled for 23 hours, past the 24-hour Idempotency-Key window; not resent";
  await db.batch([
    db
      .prepare(
        `UPDATE mail_batches SET status = 'failed', last_error = ?3, lease_until = NULL, updated_at = ?1
         WHERE status = 'sending' AND lease_until <= ?1 AND created_at <= ?1 - ?2`,
      )
      .bind(now, IDEMPOTENCY_SAFE_MS, expired),
    db
      .prepare(
        `UPDATE mail_outbox SET status = 'failed', payload = NULL, error = ?2, settled_at = ?1
         WHERE status = 'sending' AND batch_key IN (SELECT key FROM mail_batches WHERE status = 'failed' AND last_error = ?2 AND updated_at = ?1)`,
      )
      .bind(now, expired),
  ]);
  const row = await db
    .prepare(
      `UPDATE mail_batches SET attempts = attempts + 1, lease_until = ?1 + ?2, updated_at = ?1
       WHERE key = (SELECT key FROM mail_batches WHERE status = 'sending' AND lease_until <= ?1 ORDER BY created_at LIMIT 1)
         AND status = 'sending' AND lease_until <= ?1
       RETURNING key, attempts, outcome_unknown`,
    )
    .bind(now, LEASE.durationMs)
    .first<{ key: string; attempts: number; outcome_unknown: number }>();
  return row ? { key: row.key, attempts: row.attempts, outcomeUnknown: row.outcome_unknown === 1 } : null;
}

/** A mail of a new batch whose payload is not rendered yet; `subscriber` is null when they were erased meanwhile. */
interface UnrenderedMail {
  id: number;
  kind: MailKind;
  createdAt: number;
  subscriber: { id: number; email: string; tokenVersion: number } | null;
}

export async function unrenderedMails(db: D1Database, key: string): Promise<UnrenderedMail[]> {
  const { results } = await db
    .prepare(
      `SELECT m.id, m.kind, m.created_at, s.id AS subscriber_id, s.email, s.token_version
       FROM mail_outbox m LEFT JOIN subscribers s ON s.id = m.subscriber_id
       WHERE m.batch_key = ? AND m.status = 'sending' AND m.payload IS NULL`,
    )
    .bind(key)
    .all<{ id: number; kind: MailKind; created_at: number; subscriber_id: number | null; email: string; token_version: number }>();
  return results.map((row) => ({
    id: row.id,
    kind: row.kind,
    createdAt: row.created_at,
    subscriber: row.subscriber_id === null ? null : { id: row.subscriber_id, email: row.email, tokenVersion: row.token_version },
  }));
}

/** Fixes a member's payload, once: from here on every retry of its batch sends the same bytes. */
export function payloadStatement(db: D1Database, id: number, email: OutgoingEmail): D1PreparedStatement {
  return db.prepare("UPDATE mail_outbox SET payload = ? WHERE id = ? AND payload IS NULL").bind(JSON.stringify(email), id);
}

/** A member whose subscriber was erased meanwhile is dropped from its batch. */
export function erasedStatement(db: D1Database, id: number, now: number): D1PreparedStatement {
  return db.prepare("UPDATE mail_outbox SET status = 'failed', error = 'the subscriber was erased', settled_at = ? WHERE id = ?").bind(now, id);
}

/** A batch left with no members (each one's subscriber was erased) is forgotten. */
export async function dropEmptyBatch(db: D1Database, key: string): Promise<void> {
  await db.prepare("DELETE FROM mail_batches WHERE key = ?").bind(key).run();
}

/** The batch's members with their fixed payloads, in the order of the call (Resend answers by index). */
export async function membersOf(db: D1Database, key: string) {
  const { results } = await db
    .prepare("SELECT id, subscriber_id, payload FROM mail_outbox WHERE batch_key = ? AND status = 'sending' ORDER BY id")
    .bind(key)
    .all<{ id: number; subscriber_id: number; payload: string }>();
  return results.map((row) => ({ id: row.id, subscriberId: row.subscriber_id, email: JSON.parse(row.payload) as OutgoingEmail }));
}

/** The sender keeps its batch while the call lasts; a sender that lost it (another attempt began) renews nothing. */
export function renewLease(db: D1Database, batch: Batch, now: number) {
  return db
    .prepare("UPDATE mail_batches SET lease_until = ? WHERE key = ? AND status = 'sending' AND attempts = ?")
    .bind(now + LEASE.durationMs, batch.key, batch.attempts)
    .run();
}

/** The next attempt of a batch this sender still owns; null when it no longer does. */
export async function nextAttempt(
  db: D1Database,
  batch: Batch,
  { error, outcomeUnknown, now, pauseMs }: { error: string; outcomeUnknown: boolean; now: number; pauseMs: number },
): Promise<Batch | null> {
  const row = await db
    .prepare(
      `UPDATE mail_batches SET attempts = attempts + 1, outcome_unknown = ?, last_error = ?, lease_until = ?, updated_at = ?
       WHERE key = ? AND status = 'sending' AND attempts = ? RETURNING attempts`,
    )
    .bind(outcomeUnknown ? 1 : 0, error, now + Math.max(pauseMs, LEASE.durationMs), now, batch.key, batch.attempts)
    .first<{ attempts: number }>();
  return row ? { key: batch.key, attempts: row.attempts, outcomeUnknown } : null;
}

/** Sent: the payloads (they hold links and addresses) are dropped; refused addresses keep Resend's reason. */
export function settledStatements(
  db: D1Database,
  batch: Batch,
  result: { ids: (string | null)[]; refused: { id: number; reason: string }[] },
  now: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE mail_batches SET status = 'sent', resend_ids = ?, lease_until = NULL, sent_at = ?, updated_at = ?
         WHERE key = ? AND status = 'sending' AND attempts = ?`,
      )
      .bind(JSON.stringify(result.ids), now, now, batch.key, batch.attempts),
    db
      .prepare("UPDATE mail_outbox SET status = 'sent', payload = NULL, settled_at = ? WHERE batch_key = ? AND status = 'sending'")
      .bind(now, batch.key),
    ...result.refused.map(({ id, reason }) =>
      db.prepare("UPDATE mail_outbox SET status = 'rejected', error = ? WHERE id = ?").bind(reason.slice(0, 500), id),
    ),
  ];
}

export function failedStatements(db: D1Database, batch: Batch, error: string, now: number): D1PreparedStatement[] {
  return [
    db
      .prepare("UPDATE mail_batches SET status = 'failed', last_error = ?, lease_until = NULL, updated_at = ? WHERE key = ? AND attempts = ?")
      .bind(error, now, batch.key, batch.attempts),
    db
      .prepare("UPDATE mail_outbox SET status = 'failed', payload = NULL, error = ?, settled_at = ? WHERE batch_key = ? AND status = 'sending'")
      .bind(error, now, batch.key),
  ];
}

/** `mail/<hash of the member ids>`: the same mails always make the same key. */
async function batchKey(ids: number[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(ids.join(",")));
  const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `mail/${hex.slice(0, 32)}`;
}
