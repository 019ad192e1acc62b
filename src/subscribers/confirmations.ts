/**
 * Asking for the lifecycle's emails: the confirmation link (double opt-in), the welcome, and the
 * mails a visitor's request sends ("you're already subscribed", a link to manage the subscription).
 * Each becomes an outbox row in the same D1 batch as the change that asks for it. The outbox
 * renders and sends it; nobody waits for Resend.
 */
import type { Clock } from "../lib/clock";
import { CONFIRMATION_RESEND_INTERVAL_MS, type SubscriberStatus } from "./lifecycle";
import type { MailKind } from "./mail-render";
import { mailStatement } from "./outbox";
import { type MailJob, senderAtWorkStatement } from "./outbox-sender";
import { claimConfirmationStatement, type SubscriberRef } from "./store";

/** Imported subscribers whose confirmation mails are still to be asked for. */
export type ConfirmationJob = { kind: "confirm"; subscriberIds: number[] };

/** Confirmation emails per queue message: a message's work stays well inside one invocation. */
export const CONFIRMATIONS_PER_MESSAGE = 50;

/**
 * The statements that claim a confirmation (at most one per 10 minutes per pending address), put it
 * in the outbox when the claim is this batch's, and say whether the outbox's sender is at work. Run
 * them in one D1 batch and read the outcome with `confirmationOutcome`. An imported address gets
 * the `confirm_import` wording.
 */
export function confirmationStatements(
  db: D1Database,
  subscriber: SubscriberRef,
  now: number,
  kind: Extract<MailKind, "confirm" | "confirm_import"> = "confirm",
): D1PreparedStatement[] {
  return [
    claimConfirmationStatement(db, subscriber, now, CONFIRMATION_RESEND_INTERVAL_MS),
    mailStatement(db, kind, subscriber, now, { sql: "status = 'pending' AND confirmation_sent_at = ?", params: [now] }),
    senderAtWorkStatement(db, now),
  ];
}

/** "queued": signal that mail waits; "carried": the sender at work takes it along; "not_claimed": nothing to send. */
function confirmationOutcome(results: D1Result[]): "queued" | "carried" | "not_claimed" {
  const [claim, , sender] = results.slice(-3);
  if ((claim?.meta.changes ?? 0) === 0) return "not_claimed";
  return sender?.results.length ? "carried" : "queued";
}

/** Mails a visitor can ask for again and again: together they reach an address at most once per 10 minutes. */
const ON_REQUEST: readonly MailKind[] = ["already_subscribed", "manage_link"];

/**
 * The statement that asks for "you're already subscribed" or a manage link for the subscriber `ref`
 * names, when its status is one of `statuses` and neither went to it in the last 10 minutes
 * (whoever asked: nobody can flood a stranger's inbox). It changes one row when the mail is asked for.
 */
export function requestedMailStatement(
  db: D1Database,
  kind: Extract<MailKind, "already_subscribed" | "manage_link">,
  ref: SubscriberRef,
  statuses: readonly SubscriberStatus[],
  now: number,
): D1PreparedStatement {
  return mailStatement(db, kind, ref, now, {
    sql: `status IN (${statuses.map(() => "?").join(", ")}) AND NOT EXISTS (
            SELECT 1 FROM mail_outbox recent WHERE recent.subscriber_id = subscribers.id
              AND recent.kind IN (${ON_REQUEST.map(() => "?").join(", ")}) AND recent.created_at > ?)`,
    params: [...statuses, ...ON_REQUEST, now - CONFIRMATION_RESEND_INTERVAL_MS],
  });
}

/** Whether any of `mailResults` wrote a mail while no sender is at work: then the queue must be told. */
export function mailNeedsSignal(mailResults: (D1Result | undefined)[], sender: D1Result | undefined): boolean {
  return mailResults.some((result) => (result?.meta.changes ?? 0) > 0) && !sender?.results.length;
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

/**
 * The queue's side of `queueConfirmations`: asks for each imported reader's confirmation, in the
 * wording that says an operator imported them (a retry skips those already claimed), then signals
 * that mail waits.
 */
export async function writeQueuedConfirmations(deps: { db: D1Database; clock: Clock; queue: Queue<MailJob> }, ids: number[]): Promise<void> {
  const now = deps.clock.now();
  const results = await deps.db.batch(ids.flatMap((id) => confirmationStatements(deps.db, { id }, now, "confirm_import")));
  let queued = false;
  for (let index = 0; index < ids.length; index++) if (confirmationOutcome(results.slice(index * 3, index * 3 + 3)) !== "not_claimed") queued = true;
  if (queued) await deps.queue.send({ kind: "mail" });
}
