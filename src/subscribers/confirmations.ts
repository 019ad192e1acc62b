/**
 * Asking for the lifecycle's two emails, the confirmation link (double opt-in) and the welcome:
 * each becomes an outbox row in the same D1 batch as the change that asks for it. The outbox
 * renders and sends it; nobody waits for Resend.
 */
import type { Clock } from "../lib/clock";
import { type MailJob, mailStatement, senderAtWorkStatement } from "./outbox";
import { CONFIRMATION_RESEND_INTERVAL_MS } from "./lifecycle";
import { claimConfirmationStatement, type SubscriberRef } from "./store";

/** Imported subscribers whose confirmation mails are still to be asked for. */
export type ConfirmationJob = { kind: "confirm"; subscriberIds: number[] };

/** Confirmation emails per queue message: a message's work stays well inside one invocation. */
export const CONFIRMATIONS_PER_MESSAGE = 50;

/**
 * The statements that claim a confirmation (at most one per 10 minutes per pending address), put it
 * in the outbox when the claim is this batch's, and say whether the outbox's sender is at work. Run
 * them in one D1 batch and read the outcome with `confirmationOutcome`.
 */
export function confirmationStatements(db: D1Database, subscriber: SubscriberRef, now: number): D1PreparedStatement[] {
  return [
    claimConfirmationStatement(db, subscriber, now, CONFIRMATION_RESEND_INTERVAL_MS),
    mailStatement(db, "confirm", subscriber, now, { sql: "status = 'pending' AND confirmation_sent_at = ?", params: [now] }),
    senderAtWorkStatement(db, now),
  ];
}

/** "queued": signal that mail waits; "carried": the sender at work takes it along; "not_claimed": nothing to send. */
export function confirmationOutcome(results: D1Result[]): "queued" | "carried" | "not_claimed" {
  const [claim, , sender] = results.slice(-3);
  if ((claim?.meta.changes ?? 0) === 0) return "not_claimed";
  return sender?.results.length ? "carried" : "queued";
}

/** The welcome mail's statement, to run in one batch with the confirmation that moves the subscriber to active at `now`. */
export function welcomeStatement(db: D1Database, subscriber: SubscriberRef, now: number): D1PreparedStatement {
  return mailStatement(db, "welcome", subscriber, now, { sql: "status = 'active' AND confirmed_at = ?", params: [now] });
}

/** Queues confirmation emails for imported subscribers, in messages of at most CONFIRMATIONS_PER_MESSAGE. */
export async function queueConfirmations(queue: Queue<ConfirmationJob>, ids: number[]): Promise<void> {
  const messages = [];
  for (let start = 0; start < ids.length; start += CONFIRMATIONS_PER_MESSAGE)
    messages.push({ body: { kind: "confirm" as const, subscriberIds: ids.slice(start, start + CONFIRMATIONS_PER_MESSAGE) } });
  for (let start = 0; start < messages.length; start += 100) await queue.sendBatch(messages.slice(start, start + 100));
}

/** The queue's side of `queueConfirmations`: asks for each mail (a retry skips those already claimed), then signals that mail waits. */
export async function writeQueuedConfirmations(deps: { db: D1Database; clock: Clock; queue: Queue<MailJob> }, ids: number[]): Promise<void> {
  const now = deps.clock.now();
  const results = await deps.db.batch(ids.flatMap((id) => confirmationStatements(deps.db, { id }, now)));
  let queued = false;
  for (let index = 0; index < ids.length; index++) if (confirmationOutcome(results.slice(index * 3, index * 3 + 3)) !== "not_claimed") queued = true;
  if (queued) await deps.queue.send({ kind: "mail" });
}
