/**
 * The two transactional emails of the lifecycle, the confirmation link (double opt-in) and the
 * welcome: rendered when they are asked for, with the subscriber's own link, and put in the
 * outbox in the same D1 batch as the change that asks for them. Nobody waits for Resend.
 */
import { createElement } from "react";
import { ConfirmSubscription, confirmSubscriptionSubject } from "../../emails/confirm-subscription";
import { Welcome, welcomeSubject } from "../../emails/welcome";
import type { Config } from "../config";
import type { OutgoingEmail } from "../delivery/mailer";
import type { Clock } from "../lib/clock";
import { PLACEHOLDERS, personalize, renderEmailOnce } from "../presentation/render-email";
import { CONFIRMATION_RESEND_INTERVAL_MS, shouldSendConfirmation } from "./lifecycle";
import { confirmUrl, listUnsubscribeHeaders, unsubscribeUrl } from "./links";
import { type MailJob, mailStatement, senderAtWorkStatement } from "./outbox";
import type { Subscriber } from "./store";
import { claimConfirmationStatement, findSubscriberById } from "./store";

/** Imported subscribers whose confirmation mails are still to be written (rendering 10,000 does not belong in a request). */
export type ConfirmationJob = { kind: "confirm"; subscriberIds: number[] };

/** Confirmation emails per queue message: a message's work stays well inside one invocation. */
export const CONFIRMATIONS_PER_MESSAGE = 50;

interface ConfirmationDeps {
  db: D1Database;
  config: Config;
}

/**
 * Claims the confirmation for `subscriber` (at most one per 10 minutes per pending address) and
 * puts the rendered mail in the outbox, atomically, in one D1 round trip. "queued": the caller
 * signals that mail waits; "carried": queued, and a sender is at work, which will take it along;
 * "not_claimed": another request has it, or sent it less than 10 minutes ago.
 */
export async function queueConfirmation(deps: ConfirmationDeps, subscriber: Subscriber, now: number): Promise<"queued" | "carried" | "not_claimed"> {
  const email = await confirmationEmail(deps.config, subscriber, now);
  const [claim, , sender] = await deps.db.batch([
    claimConfirmationStatement(deps.db, subscriber.id, now, CONFIRMATION_RESEND_INTERVAL_MS),
    mailStatement(deps.db, { kind: "confirm", subscriberId: subscriber.id, email }, now, {
      sql: "EXISTS (SELECT 1 FROM subscribers WHERE id = ? AND status = 'pending' AND confirmation_sent_at = ?)",
      params: [subscriber.id, now],
    }),
    senderAtWorkStatement(deps.db, now),
  ]);
  if ((claim?.meta.changes ?? 0) === 0) return "not_claimed";
  return sender?.results.length ? "carried" : "queued";
}

/** The welcome mail's statement, to run in one batch with the confirmation that moves `subscriber` to active at `now`. */
export async function welcomeStatement(deps: ConfirmationDeps, subscriber: Subscriber, now: number): Promise<D1PreparedStatement> {
  const email = await welcomeEmail(deps.config, subscriber);
  return mailStatement(deps.db, { kind: "welcome", subscriberId: subscriber.id, email }, now, {
    sql: "EXISTS (SELECT 1 FROM subscribers WHERE id = ? AND status = 'active' AND confirmed_at = ?)",
    params: [subscriber.id, now],
  });
}

/** Queues confirmation emails for imported subscribers, in messages of at most CONFIRMATIONS_PER_MESSAGE. */
export async function queueConfirmations(queue: Queue<ConfirmationJob>, ids: number[]): Promise<void> {
  const messages = [];
  for (let start = 0; start < ids.length; start += CONFIRMATIONS_PER_MESSAGE)
    messages.push({ body: { kind: "confirm" as const, subscriberIds: ids.slice(start, start + CONFIRMATIONS_PER_MESSAGE) } });
  for (let start = 0; start < messages.length; start += 100) await queue.sendBatch(messages.slice(start, start + 100));
}

/** The queue's side of `queueConfirmations`: writes each mail to the outbox, then signals that mail waits. */
export async function writeQueuedConfirmations(deps: ConfirmationDeps & { clock: Clock; queue: Queue<MailJob> }, ids: number[]): Promise<void> {
  let queued = 0;
  for (const id of ids) {
    const subscriber = await findSubscriberById(deps.db, id);
    const now = deps.clock.now();
    if (subscriber && shouldSendConfirmation(subscriber.status, subscriber.confirmationSentAt, now) && (await queueConfirmation(deps, subscriber, now)) !== "not_claimed")
      queued++;
  }
  if (queued > 0) await deps.queue.send({ kind: "mail" });
}

// Rendered once per isolate and configuration; each mail fills in its own address and link.
async function confirmationEmail(config: Config, subscriber: Subscriber, now: number): Promise<OutgoingEmail> {
  const rendered = await renderEmailOnce(`confirm|${config.senderPostalAddress}`, confirmSubscriptionSubject, () =>
    createElement(ConfirmSubscription, { email: PLACEHOLDERS.address, confirmUrl: PLACEHOLDERS.actionUrl, postalAddress: config.senderPostalAddress }),
  );
  const actionUrl = await confirmUrl(config, subscriber, now);
  return { from: config.mailFrom, to: subscriber.email, ...personalize(rendered, { address: subscriber.email, actionUrl }) };
}

async function welcomeEmail(config: Config, subscriber: Subscriber): Promise<OutgoingEmail> {
  const rendered = await renderEmailOnce(`welcome|${config.publicBaseUrl}|${config.senderPostalAddress}`, welcomeSubject, () =>
    createElement(Welcome, { siteUrl: config.publicBaseUrl, unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl, postalAddress: config.senderPostalAddress }),
  );
  const url = await unsubscribeUrl(config, subscriber);
  return { from: config.mailFrom, to: subscriber.email, ...personalize(rendered, { unsubscribeUrl: url }), headers: listUnsubscribeHeaders(url) };
}
