/**
 * The transactional outbox: confirmation and welcome mails are rows in D1, written in the same
 * batch as the change that asks for them (so no request waits for Resend), and sent by the queue
 * consumer in batches of up to 100 per Resend call. A mail moves pending → sending (in a batch) →
 * sent | rejected (Resend refused the address) | failed. A batch keeps the digest chunks' promises:
 * its members are fixed when it is formed and their payloads never change, its Idempotency-Key is
 * derived from the members, a lease renewed during the call keeps a second sender off it, and any
 * retry sends the byte-identical payload under the same key.
 */
import { afterFailure, describeFailure, IDEMPOTENCY_SAFE_MS } from "../delivery/attempts";
import { LEASE, whileLeased } from "../delivery/lease";
import type { Mailer, OutgoingEmail } from "../delivery/mailer";
import type { Reservation, SendSlots } from "../delivery/pacer";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Config } from "../config";
import { type MailKind, renderMail } from "./mail-render";
import { refCondition, refusedStatements, type SubscriberRef } from "./store";

/** "Mail is waiting": a signal on the queue; the rows themselves say what to send. */
export type MailJob = { kind: "mail" };

export interface OutboxDeps {
  db: D1Database;
  config: Config;
  clock: Clock;
  mailer: Mailer;
  slots: SendSlots;
  log: Logger;
}

/** The single-flight role of the consumer sending the outbox (see jobs/send-mail.ts). */
export const OUTBOX_SENDER_ROLE = "outbox";

/** After this many calls a batch is given up for an operator to look at. */
const MAX_BATCH_ATTEMPTS = 8;
const BATCH_SIZE = 100;

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

/**
 * A statement answering one row while the outbox's sender holds its role: a new mail written in
 * the same batch needs no signal then. (A sender looks for waiting mail once more after letting go
 * of the role, so a mail written just as it lets go is not left behind.)
 */
export function senderAtWorkStatement(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare("SELECT 1 AS busy FROM send_roles WHERE name = ? AND lease_until > ?").bind(OUTBOX_SENDER_ROLE, now);
}

/**
 * Tells the queue that mail waits. The rows are written already, so a signal that cannot be sent is
 * logged, not thrown: the sweep (every five minutes) finds the mail, and a reader told "check your
 * inbox" is not shown an error for mail that will arrive.
 */
export async function signalWaitingMail(deps: { queue: Queue<MailJob>; log: Logger }): Promise<void> {
  try {
    await deps.queue.send({ kind: "mail" });
  } catch (error) {
    deps.log.warn("mail signal not sent, the sweep will send the mail", { error: String(error) });
  }
}

/** Mail not settled yet: waiting, or in a batch (whose sender may have died). */
export async function hasUnsettledMail(db: D1Database): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS unsettled FROM mail_outbox WHERE status IN ('pending', 'sending') LIMIT 1").first()) !== null;
}

export async function hasWaitingMail(db: D1Database): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS waiting FROM mail_outbox WHERE status = 'pending' LIMIT 1").first()) !== null;
}

interface Batch {
  key: string;
  attempts: number;
  outcomeUnknown: boolean;
}

export type MailRun = "sent" | "idle" | { backOffSeconds: number };

/**
 * Sends one batch: an interrupted one whose lease ran out, else up to 100 waiting mails. `slot` is
 * a send slot the caller already holds (a digest chunk giving its slot to waiting mail); without
 * one, the batch waits for the next free slot. "idle" when nothing waited (the slot is unused).
 */
export async function sendWaitingMail(deps: OutboxDeps, slot: Reservation | null = null): Promise<MailRun> {
  const batch = (await takeOverStaleBatch(deps.db, deps.clock.now())) ?? (await formBatch(deps.db, deps.clock.now()));
  if (!batch) return "idle";
  await renderPayloads(deps, batch.key, deps.clock.now());
  const members = await membersOf(deps.db, batch.key);
  if (members.length === 0) {
    await deps.db.prepare("DELETE FROM mail_batches WHERE key = ?").bind(batch.key).run();
    return "idle";
  }
  const owned = { batch };
  const renew = () => renewLease(deps.db, owned.batch, deps.clock.now());
  return whileLeased(renew, LEASE.renewEveryMs, () => callUntilSettled(deps, owned, members, slot));
}

/** Calls Resend for the batch until it is settled, backing off, or lost to another sender; `owned` follows its attempts. */
async function callUntilSettled(
  deps: OutboxDeps,
  owned: { batch: Batch },
  members: { id: number; subscriberId: number; email: OutgoingEmail }[],
  heldSlot: Reservation | null,
): Promise<MailRun> {
  const emails = members.map((member) => member.email);
  let reservation = heldSlot;
  for (let inThisRun = 1; ; inThisRun++) {
    const batch = owned.batch;
    reservation ??= await deps.slots.wait();
    const answer = await deps.mailer.sendBatch(emails, { idempotencyKey: batch.key });
    const { outcome } = answer;
    await deps.slots.record(answer.rateLimit, { rateLimited: !outcome.ok && outcome.failure.kind === "rate_limited", reservation });
    reservation = null;
    const now = deps.clock.now();
    if (outcome.ok) {
      const refused = outcome.refused.map(({ index, message }) => ({ subscriberId: members[index]!.subscriberId, id: members[index]!.id, reason: message }));
      await deps.db.batch([
        ...settledStatements(deps.db, batch, { ids: outcome.ids, refused }, now),
        ...refusedStatements(deps.db, refused, now),
      ]);
      deps.log.info("mail batch sent", { key: batch.key, mails: members.length, refused: refused.length, attempt: batch.attempts });
      return "sent";
    }
    const step = afterFailure(outcome.failure, { number: batch.attempts, inThisRun, max: MAX_BATCH_ATTEMPTS, wasUnknown: batch.outcomeUnknown });
    const error = describeFailure(outcome.failure);
    deps.log.warn("mail batch not sent", { key: batch.key, attempt: batch.attempts, error, next: step.kind });
    if (step.kind === "give_up") {
      await deps.db.batch(failedStatements(deps.db, batch, error, now));
      return "sent";
    }
    const next = await nextAttempt(deps.db, batch, { error, outcomeUnknown: step.outcomeUnknown, now, pauseMs: step.kind === "back_off" ? step.delaySeconds * 1000 : 0 });
    if (!next) return "sent"; // another sender took it over: it is theirs now
    if (step.kind === "back_off") return { backOffSeconds: step.delaySeconds };
    owned.batch = next;
  }
}

/** Up to 100 waiting mails become one batch, atomically; null when none wait. */
async function formBatch(db: D1Database, now: number): Promise<Batch | null> {
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
async function takeOverStaleBatch(db: D1Database, now: number): Promise<Batch | null> {
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

/**
 * Renders the mails of a new batch, once: from here on its payload is fixed, and every retry sends
 * the same bytes. A mail whose subscriber was erased meanwhile is dropped from the batch.
 */
async function renderPayloads(deps: Pick<OutboxDeps, "db" | "config">, key: string, now: number): Promise<void> {
  const { results } = await deps.db
    .prepare(
      `SELECT m.id, m.kind, m.created_at, s.id AS subscriber_id, s.email, s.token_version
       FROM mail_outbox m LEFT JOIN subscribers s ON s.id = m.subscriber_id
       WHERE m.batch_key = ? AND m.status = 'sending' AND m.payload IS NULL`,
    )
    .bind(key)
    .all<{ id: number; kind: MailKind; created_at: number; subscriber_id: number | null; email: string; token_version: number }>();
  if (results.length === 0) return;
  const statements = await Promise.all(
    results.map(async (row) => {
      if (row.subscriber_id === null)
        return deps.db
          .prepare("UPDATE mail_outbox SET status = 'failed', error = 'the subscriber was erased', settled_at = ? WHERE id = ?")
          .bind(now, row.id);
      const email = await renderMail(deps.config, row.kind, { id: row.subscriber_id, email: row.email, tokenVersion: row.token_version }, row.created_at);
      return deps.db.prepare("UPDATE mail_outbox SET payload = ? WHERE id = ? AND payload IS NULL").bind(JSON.stringify(email), row.id);
    }),
  );
  await deps.db.batch(statements);
}

async function membersOf(db: D1Database, key: string) {
  const { results } = await db
    .prepare("SELECT id, subscriber_id, payload FROM mail_outbox WHERE batch_key = ? AND status = 'sending' ORDER BY id")
    .bind(key)
    .all<{ id: number; subscriber_id: number; payload: string }>();
  return results.map((row) => ({ id: row.id, subscriberId: row.subscriber_id, email: JSON.parse(row.payload) as OutgoingEmail }));
}

function renewLease(db: D1Database, batch: Batch, now: number) {
  return db
    .prepare("UPDATE mail_batches SET lease_until = ? WHERE key = ? AND status = 'sending' AND attempts = ?")
    .bind(now + LEASE.durationMs, batch.key, batch.attempts)
    .run();
}

/** The next attempt of a batch this sender still owns; null when it no longer does. */
async function nextAttempt(
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
function settledStatements(
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

function failedStatements(db: D1Database, batch: Batch, error: string, now: number): D1PreparedStatement[] {
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
