/**
 * The two transactional emails of the lifecycle: the confirmation link (double opt-in) and the
 * welcome. Each is rendered once and personalised with the subscriber's own link; the send is
 * claimed in D1 first, so concurrent requests send one email.
 */
import { createElement } from "react";
import { ConfirmSubscription, confirmSubscriptionSubject } from "../../emails/confirm-subscription";
import { Welcome, welcomeSubject } from "../../emails/welcome";
import type { Config } from "../config";
import type { Mailer, SendFailure } from "../delivery/mailer";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { PLACEHOLDERS, personalize, renderEmail } from "../presentation/render-email";
import { CONFIRMATION_RESEND_INTERVAL_MS, shouldSendConfirmation } from "./lifecycle";
import { confirmUrl, listUnsubscribeHeaders, unsubscribeUrl } from "./links";
import type { Subscriber } from "./store";
import { claimConfirmation, findSubscriberById, releaseConfirmation } from "./store";

/** Confirmation emails that wait in the queue: for imported subscribers, and sign-ups made while Resend was busy. */
export type ConfirmationJob = { kind: "confirm"; subscriberIds: number[] };

/** Confirmation emails per queue message: a message's sends stay well inside one invocation. */
export const CONFIRMATIONS_PER_MESSAGE = 50;

export interface MailDeps {
  db: D1Database;
  clock: Clock;
  mailer: Mailer;
  config: Config;
  log: Logger;
}

/** How long a sign-up request may wait for a send slot before its confirmation goes to the queue. */
const CONFIRMATION_MAX_WAIT_MS = 1_000;

export type ConfirmationOutcome = { kind: "sent" } | { kind: "not_needed" } | { kind: "busy" } | { kind: "failed"; failure: SendFailure };

/**
 * Sends the confirmation email to a subscriber who may receive one: claims the send in D1 first
 * (so concurrent requests send one email), and gives the claim back if the mail cannot go out.
 * `waitBriefly` bounds the wait for a send slot (a visitor is waiting); `busy` then means "queue it".
 */
export async function sendConfirmation(
  deps: MailDeps,
  subscriber: Subscriber,
  now: number,
  options: { waitBriefly?: boolean } = {},
): Promise<ConfirmationOutcome> {
  const claimed = await claimConfirmation(deps.db, subscriber.id, now, CONFIRMATION_RESEND_INTERVAL_MS);
  if (!claimed) return { kind: "not_needed" }; // a concurrent request is sending it

  const rendered = await renderEmail(
    confirmSubscriptionSubject,
    createElement(ConfirmSubscription, {
      email: claimed.email,
      confirmUrl: PLACEHOLDERS.actionUrl,
      postalAddress: deps.config.senderPostalAddress,
    }),
  );
  const email = personalize(rendered, { actionUrl: await confirmUrl(deps.config, claimed, now) });
  const result = await deps.mailer.send(
    { from: deps.config.mailFrom, to: claimed.email, ...email },
    { idempotencyKey: `confirm/${claimed.id}/${now}`, ...(options.waitBriefly ? { maxWaitMs: CONFIRMATION_MAX_WAIT_MS } : {}) },
  );
  if (result.ok) return { kind: "sent" };
  await releaseConfirmation(deps.db, claimed, subscriber);
  return result.failure.kind === "busy" ? { kind: "busy" } : { kind: "failed", failure: result.failure };
}

/** Queues confirmation emails, in messages of at most CONFIRMATIONS_PER_MESSAGE. */
export async function queueConfirmations(queue: Queue<ConfirmationJob>, ids: number[]): Promise<void> {
  const messages = [];
  for (let start = 0; start < ids.length; start += CONFIRMATIONS_PER_MESSAGE)
    messages.push({ body: { kind: "confirm" as const, subscriberIds: ids.slice(start, start + CONFIRMATIONS_PER_MESSAGE) } });
  for (let start = 0; start < messages.length; start += 100) await queue.sendBatch(messages.slice(start, start + 100));
}

/** The queue's side of `queueConfirmations`; returns how many could not be sent. */
export async function sendQueuedConfirmations(deps: MailDeps, ids: number[]): Promise<number> {
  let failed = 0;
  for (const id of ids) {
    const subscriber = await findSubscriberById(deps.db, id);
    const now = deps.clock.now();
    // Imported (pending) or deferred from a busy sign-up (pending, or unsubscribed signing up again).
    if (!subscriber || !shouldSendConfirmation(subscriber.status, subscriber.confirmationSentAt, now)) continue;
    const outcome = await sendConfirmation(deps, subscriber, now);
    if (outcome.kind === "failed") failed++;
  }
  return failed;
}

export async function sendWelcome(deps: MailDeps, subscriber: Subscriber): Promise<void> {
  const rendered = await renderEmail(
    welcomeSubject,
    createElement(Welcome, {
      siteUrl: deps.config.publicBaseUrl,
      unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
      postalAddress: deps.config.senderPostalAddress,
    }),
  );
  const url = await unsubscribeUrl(deps.config, subscriber);
  const result = await deps.mailer.send(
    {
      from: deps.config.mailFrom,
      to: subscriber.email,
      ...personalize(rendered, { unsubscribeUrl: url }),
      headers: listUnsubscribeHeaders(url),
    },
    { idempotencyKey: `welcome/${subscriber.id}/${subscriber.confirmedAt}` },
  );
  // The subscription stands even if the welcome mail does not go out; the digest will.
  if (!result.ok) deps.log.warn("welcome email not sent", { subscriberId: subscriber.id, failure: result.failure });
}
