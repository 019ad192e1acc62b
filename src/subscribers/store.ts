import type { LifecycleEvent, SubscriberStatus } from "./lifecycle";
import { ENTERED_AT, LIFTED_BY_CONFIRMING, nextStatus, statusesAllowing } from "./lifecycle";

export interface Subscriber {
  id: number;
  email: string;
  emailKey: string;
  status: SubscriberStatus;
  tokenVersion: number;
  createdAt: number;
  updatedAt: number;
  confirmationSentAt: number | null;
  confirmedAt: number | null;
  unsubscribedAt: number | null;
}

interface SubscriberRow {
  id: number;
  email: string;
  email_key: string;
  status: SubscriberStatus;
  token_version: number;
  created_at: number;
  updated_at: number;
  confirmation_sent_at: number | null;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    email: row.email,
    emailKey: row.email_key,
    status: row.status,
    tokenVersion: row.token_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmationSentAt: row.confirmation_sent_at,
    confirmedAt: row.confirmed_at,
    unsubscribedAt: row.unsubscribed_at,
  };
}

/** The statement that reads one subscriber, to batch with changes to it; read its result with `subscriberFrom`. */
export function findSubscriberStatement(db: D1Database, id: number): D1PreparedStatement {
  return db.prepare("SELECT * FROM subscribers WHERE id = ?").bind(id);
}

export function subscriberFrom(result: D1Result | undefined): Subscriber | null {
  const row = result?.results[0] as SubscriberRow | undefined;
  return row ? toSubscriber(row) : null;
}

export async function findSubscriberById(db: D1Database, id: number): Promise<Subscriber | null> {
  const row = await db.prepare("SELECT * FROM subscribers WHERE id = ?").bind(id).first<SubscriberRow>();
  return row ? toSubscriber(row) : null;
}

export async function findSubscriberByKey(db: D1Database, emailKey: string): Promise<Subscriber | null> {
  const row = await db.prepare("SELECT * FROM subscribers WHERE email_key = ?").bind(emailKey).first<SubscriberRow>();
  return row ? toSubscriber(row) : null;
}

/** A subscriber named by id, or by address (lower-cased) when the id is not known yet. */
export type SubscriberRef = { id: number } | { emailKey: string };

/** The SQL condition and parameter that pick the subscriber `ref` names. */
export function refCondition(ref: SubscriberRef): { sql: string; param: number | string } {
  return "id" in ref ? { sql: "id = ?", param: ref.id } : { sql: "email_key = ?", param: ref.emailKey };
}

/**
 * The statement that inserts a pending subscriber unless the address is already on the list or
 * suppressed for good (`hash` is its keyed hash in `suppressions`: it was erased with a bounce or a
 * complaint). An address its owner erased may be signed up again: it only gets a confirmation, and
 * its erasure stays until that is confirmed.
 */
export function insertSubscriberStatement(db: D1Database, email: { address: string; key: string }, hash: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO subscribers (email, email_key, status, created_at, updated_at)
       SELECT ?, ?, 'pending', ?, ? WHERE NOT EXISTS (
         SELECT 1 FROM suppressions WHERE email_hash = ? AND reason NOT IN (${LIFTED_BY_CONFIRMING.map(() => "?").join(", ")}))
       ON CONFLICT (email_key) DO NOTHING`,
    )
    .bind(email.address, email.key, now, now, hash, ...LIFTED_BY_CONFIRMING);
}

/**
 * The statement that claims the right to send a confirmation email: it moves the subscriber to
 * pending and stamps `confirmation_sent_at`, unless another request did so within `minIntervalMs`
 * (an address that unsubscribed is not throttled: it gets its link at once). It changes one
 * row when the claim is this statement's.
 */
export function claimConfirmationStatement(db: D1Database, ref: SubscriberRef, now: number, minIntervalMs: number): D1PreparedStatement {
  const from = statusesAllowing("subscribe");
  const who = refCondition(ref);
  return db
    .prepare(
      `UPDATE subscribers SET status = 'pending', confirmation_sent_at = ?1, updated_at = ?1
       WHERE ${who.sql.replace("?", "?2")} AND status IN (${from.map((_, i) => `?${i + 4}`).join(", ")})
         AND (status = 'unsubscribed' OR confirmation_sent_at IS NULL OR confirmation_sent_at <= ?1 - ?3)`,
    )
    .bind(now, who.param, minIntervalMs, ...from);
}

/**
 * The statement that applies `event` to the subscriber `ref` names, from every status it moves
 * (events with one target, such as confirm, bounce or complain), when `onlyIf` also holds. It
 * changes one row when the event took effect: a statement to batch with what depends on it.
 */
export function eventStatement(
  db: D1Database,
  ref: SubscriberRef,
  event: LifecycleEvent,
  now: number,
  onlyIf: { sql: string; params: unknown[] } = { sql: "1", params: [] },
): D1PreparedStatement {
  const from = statusesAllowing(event).filter((status) => nextStatus(status, event) !== status);
  const to = nextStatus(from[0]!, event)!;
  const who = refCondition(ref);
  return db
    .prepare(
      `UPDATE subscribers SET status = ?, ${ENTERED_AT[to]} = ?, updated_at = ?
       WHERE ${who.sql} AND status IN (${from.map(() => "?").join(", ")}) AND ${onlyIf.sql}`,
    )
    .bind(to, now, now, who.param, ...from, ...onlyIf.params);
}

export type TransitionResult =
  | { changed: true; subscriber: Subscriber }
  | { changed: false; subscriber: Subscriber | null };

/**
 * Applies a lifecycle event if the current status allows it, in one conditional UPDATE so
 * concurrent requests cannot both win. `changed` is true only for the request that moved it.
 */
export async function applyEvent(
  db: D1Database,
  id: number,
  event: LifecycleEvent,
  now: number,
  /** The subscriber as just read, which saves reading it again; the conditional update still guards against a change since. */
  known?: Subscriber,
): Promise<TransitionResult> {
  const current = known ?? (await findSubscriberById(db, id));
  if (!current) return { changed: false, subscriber: null };
  const next = nextStatus(current.status, event);
  if (next === null || next === current.status) return { changed: false, subscriber: current };
  const row = await db
    .prepare(
      `UPDATE subscribers SET status = ?, ${ENTERED_AT[next]} = ?, updated_at = ?
       WHERE id = ? AND status = ? RETURNING *`,
    )
    .bind(next, now, now, id, current.status)
    .first<SubscriberRow>();
  if (row) return { changed: true, subscriber: toSubscriber(row) };
  // Someone else changed it first: report the state they left.
  return { changed: false, subscriber: await findSubscriberById(db, id) };
}

/**
 * The statements that mark addresses Resend refused outright (permissive batch validation) as
 * undeliverable, with Resend's reason, so they are never mailed again.
 */
export function refusedStatements(db: D1Database, refusals: { subscriberId: number; reason: string }[], now: number): D1PreparedStatement[] {
  const from = statusesAllowing("refuse").filter((status) => nextStatus(status, "refuse") !== status);
  return refusals.map(({ subscriberId, reason }) =>
    db
      .prepare(
        `UPDATE subscribers SET status = 'undeliverable', undeliverable_at = ?, undeliverable_reason = ?, updated_at = ?
         WHERE id = ? AND status IN (${from.map(() => "?").join(", ")})`,
      )
      .bind(now, reason.slice(0, 500), now, subscriberId, ...from),
  );
}
