import { createElement } from "react";
import { ConfirmSubscription, confirmSubscriptionSubject } from "../../emails/confirm-subscription";
import { Welcome, welcomeSubject } from "../../emails/welcome";
import type { Config } from "../config";
import type { Mailer, SendFailure } from "../delivery/mailer";
import { PLACEHOLDERS, personalize, renderEmail } from "../email/render";
import { parseBlocklist } from "../abuse/blocklist";
import { parseEmailAddress } from "./address";
import { CONFIRMATION_RESEND_INTERVAL_MS, shouldSendConfirmation } from "./lifecycle";
import { confirmUrl, listUnsubscribeHeaders, unsubscribeUrl } from "./links";
import { isSuppressed } from "./privacy";
import type { Subscriber } from "./store";
import { applyEvent, claimConfirmation, findOrCreateSubscriber, findSubscriberById, releaseConfirmation } from "./store";
import type { TokenProblem, TokenPurpose } from "./tokens";
import { verifyToken } from "./tokens";

/** Everything the subscriber lifecycle needs from the outside world. */
export interface LifecycleDeps {
  db: D1Database;
  mailer: Mailer;
  config: Config;
  now: () => number;
  /** Per-address limit on confirmation mails (list bombing); resolves false when over it. */
  allowConfirmationTo?: (emailKey: string) => Promise<boolean>;
  /**
   * Hands a confirmation to the queue when the shared send rate is busy (a burst of sign-ups,
   * a digest going out), so the visitor is answered at once instead of waiting in line.
   */
  deferConfirmation?: (subscriberId: number) => Promise<void>;
}

/** How long a sign-up request may wait for a send slot before its confirmation goes to the queue. */
export const CONFIRMATION_MAX_WAIT_MS = 1_000;

export type SubscribeOutcome =
  | { kind: "accepted" }
  | { kind: "invalid_email"; reason: string }
  | { kind: "blocked_domain"; domain: string }
  | { kind: "mail_failed"; failure: SendFailure };

/**
 * A sign-up. The visitor sees the same answer whatever state the address was in, so the
 * form cannot be used to learn who subscribes. New and unsubscribed addresses get a
 * confirmation email; pending ones get it again at most every 10 minutes.
 */
export async function requestSubscription(deps: LifecycleDeps, input: unknown): Promise<SubscribeOutcome> {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return { kind: "invalid_email", reason: parsed.reason };
  const domain = parsed.value.address.slice(parsed.value.address.lastIndexOf("@") + 1);
  if (parseBlocklist(deps.config.domainBlocklist)(domain)) return { kind: "blocked_domain", domain };
  // Erased addresses stay suppressed; the answer is the same as for everyone else.
  if (await isSuppressed(deps.db, deps.config.signingSecret, parsed.value.key)) return { kind: "accepted" };

  const now = deps.now();
  const subscriber = await findOrCreateSubscriber(deps.db, parsed.value, now);
  if (!shouldSendConfirmation(subscriber.status, subscriber.confirmationSentAt, now)) return { kind: "accepted" };
  if (deps.allowConfirmationTo && !(await deps.allowConfirmationTo(parsed.value.key))) return { kind: "accepted" };
  return sendConfirmation(deps, subscriber, now);
}

/**
 * Sends the confirmation email to a subscriber who may receive one: claims the send in D1 first
 * (so concurrent requests send one email), and gives the claim back if the mail cannot go out.
 */
export async function sendConfirmation(
  deps: LifecycleDeps,
  subscriber: Subscriber,
  now: number,
): Promise<Extract<SubscribeOutcome, { kind: "accepted" | "mail_failed" }>> {
  const claimed = await claimConfirmation(deps.db, subscriber.id, now, CONFIRMATION_RESEND_INTERVAL_MS);
  if (!claimed) return { kind: "accepted" }; // a concurrent request is sending it

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
    { idempotencyKey: `confirm/${claimed.id}/${now}`, ...(deps.deferConfirmation ? { maxWaitMs: CONFIRMATION_MAX_WAIT_MS } : {}) },
  );
  if (!result.ok) {
    await releaseConfirmation(deps.db, claimed, subscriber);
    if (result.failure.kind === "busy" && deps.deferConfirmation) {
      await deps.deferConfirmation(claimed.id);
      return { kind: "accepted" };
    }
    return { kind: "mail_failed", failure: result.failure };
  }
  return { kind: "accepted" };
}

export type LinkOutcome =
  | { kind: "done"; subscriber: Subscriber; changed: boolean }
  | { kind: "invalid_link"; problem: TokenProblem | "revoked" | "not_allowed" };

/** Checks a link's token and returns its subscriber, without changing anything. */
export async function resolveLink(
  deps: Pick<LifecycleDeps, "db" | "config" | "now">,
  token: unknown,
  purpose: TokenPurpose,
): Promise<{ ok: true; subscriber: Subscriber } | { ok: false; problem: TokenProblem | "revoked" }> {
  const verified = await verifyToken(deps.config.signingSecret, token, purpose, deps.now());
  if (!verified.ok) return { ok: false, problem: verified.problem };
  const subscriber = await findSubscriberById(deps.db, verified.claims.subscriberId);
  if (!subscriber || subscriber.tokenVersion !== verified.claims.tokenVersion) return { ok: false, problem: "revoked" };
  return { ok: true, subscriber };
}

/** The POST behind the confirmation link: pending becomes active and gets a welcome email. */
export async function confirmSubscription(deps: LifecycleDeps, token: unknown): Promise<LinkOutcome> {
  const link = await resolveLink(deps, token, "confirm");
  if (!link.ok) return { kind: "invalid_link", problem: link.problem };
  const result = await applyEvent(deps.db, link.subscriber.id, "confirm", deps.now());
  if (!result.subscriber || result.subscriber.status !== "active") return { kind: "invalid_link", problem: "not_allowed" };
  if (result.changed) await sendWelcome(deps, result.subscriber);
  return { kind: "done", subscriber: result.subscriber, changed: result.changed };
}

/** One-click unsubscribe (RFC 8058) and the unsubscribe page's button. Takes effect at once. */
export async function unsubscribe(deps: LifecycleDeps, token: unknown): Promise<LinkOutcome> {
  return applyLinkEvent(deps, token, "unsubscribe", "unsubscribed");
}

/** The "resubscribe" button on the unsubscribe confirmation page. */
export async function resubscribe(deps: LifecycleDeps, token: unknown): Promise<LinkOutcome> {
  return applyLinkEvent(deps, token, "resubscribe", "active");
}

async function applyLinkEvent(
  deps: LifecycleDeps,
  token: unknown,
  event: "unsubscribe" | "resubscribe",
  expected: Subscriber["status"],
): Promise<LinkOutcome> {
  const link = await resolveLink(deps, token, "unsubscribe");
  if (!link.ok) return { kind: "invalid_link", problem: link.problem };
  const result = await applyEvent(deps.db, link.subscriber.id, event, deps.now());
  const subscriber = result.subscriber ?? link.subscriber;
  // Bounced and complained addresses stay suppressed: unsubscribing is moot, resubscribing not allowed.
  if (event === "resubscribe" && subscriber.status !== expected) return { kind: "invalid_link", problem: "not_allowed" };
  return { kind: "done", subscriber, changed: result.changed };
}

async function sendWelcome(deps: LifecycleDeps, subscriber: Subscriber): Promise<void> {
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
  if (!result.ok) console.error(JSON.stringify({ level: "warn", message: "welcome email not sent", subscriberId: subscriber.id, failure: result.failure }));
}
