/**
 * What a reader does: sign up, confirm, leave, come back, ask for a link to manage it all, delete
 * their data. Each is a plain function over explicit services; the routes only parse the request
 * and render the outcome.
 */
import { parseBlocklist } from "../abuse/blocklist";
import type { Config } from "../config";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { parseEmailAddress } from "./address";
import { suggestAddress } from "./address-typo";
import { confirmationStatements, mailNeedsSignal, requestedMailStatement, welcomeStatement } from "./confirmations";
import { signupPreferencesStatement } from "./preference-store";
import { DEFAULT_PREFERENCES, type Preferences } from "./preferences";
import { MANAGE_LINK_STATUSES, type SubscriberStatus, statusesSendingOnSignup, SUPPRESSED } from "./lifecycle";
import { type MailJob, senderAtWorkStatement, signalWaitingMail } from "./outbox-sender";
import { addressHash, endReclaimedErasureStatement, eraseSubscriber, reclaimStatement } from "./privacy";
import type { Subscriber } from "./store";
import { applyEvent, eventStatement, findSubscriberById, findSubscriberStatement, insertSubscriberStatement, subscriberFrom } from "./store";
import type { TokenProblem, TokenPurpose } from "./tokens";
import { verifyToken } from "./tokens";

export interface SubscriptionDeps {
  db: D1Database;
  clock: Clock;
  config: Config;
  /** Told that mail waits in the outbox. */
  queue: Queue<MailJob>;
  log: Logger;
}

type AddressProblem = { kind: "invalid_email"; reason: string } | { kind: "blocked_domain"; domain: string };

/** `suggestion`: the address with a likely typo in its domain corrected ("did you mean …?"), or null. */
export type SubscribeOutcome = { kind: "accepted"; suggestion: string | null } | AddressProblem;

/**
 * A sign-up. The visitor sees the same answer whatever state the address was in, so the form
 * cannot be used to learn who subscribes; the address gets the mail that fits its state, at most
 * once per 10 minutes (see SIGNUP_MAIL): a confirmation for a new, pending, unsubscribed or erased
 * address, "you're already subscribed" for an active one, nothing for a suppressed one. The mail goes
 * to the outbox and the visitor is answered at once: the queue consumer sends it within seconds.
 */
export async function requestSubscription(deps: SubscriptionDeps, input: unknown, choices: Preferences = DEFAULT_PREFERENCES): Promise<SubscribeOutcome> {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return { kind: "invalid_email", reason: parsed.reason };
  const domain = parsed.value.address.slice(parsed.value.address.lastIndexOf("@") + 1);
  if (parseBlocklist(deps.config.domainBlocklist)(domain)) return { kind: "blocked_domain", domain };
  const now = deps.clock.now();
  const { key } = parsed.value;
  const hash = await addressHash(deps.config.signingSecret, key);
  // One D1 round trip: the subscriber (never for an address suppressed for good), the mail its state asks for.
  const results = await deps.db.batch([
    insertSubscriberStatement(deps.db, parsed.value, hash, now),
    reclaimStatement(deps.db, hash, key),
    ...confirmationStatements(deps.db, { emailKey: key }, now),
    requestedMailStatement(deps.db, "already_subscribed", { emailKey: key }, statusesSendingOnSignup("already_subscribed"), now),
    // What the sign-up chose, for an address that has not confirmed yet (a confirmed reader's
    // choices change only behind their own link).
    signupPreferencesStatement(deps.db, key, choices, now),
  ]);
  const [, , claimed, , sender, alreadySubscribed] = results;
  if (mailNeedsSignal([claimed, alreadySubscribed], sender)) await signalWaitingMail(deps);
  return { kind: "accepted", suggestion: suggestAddress(parsed.value.address) };
}

/**
 * "Manage by email": a link to the subscription's page, sent to an address on the list that is not
 * suppressed, at most once per 10 minutes. The answer is the same for every valid address.
 */
export async function requestManageLink(deps: SubscriptionDeps, input: unknown): Promise<{ kind: "accepted" } | Extract<AddressProblem, { kind: "invalid_email" }>> {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return { kind: "invalid_email", reason: parsed.reason };
  const now = deps.clock.now();
  const [asked, sender] = await deps.db.batch([
    requestedMailStatement(deps.db, "manage_link", { emailKey: parsed.value.key }, MANAGE_LINK_STATUSES, now),
    senderAtWorkStatement(deps.db, now),
  ]);
  if (mailNeedsSignal([asked], sender)) await signalWaitingMail(deps);
  return { kind: "accepted" };
}

export type LinkProblem = TokenProblem | "revoked" | "not_allowed";
/** `was`: the subscriber's status before the link acted. */
export type LinkOutcome =
  | { kind: "done"; subscriber: Subscriber; was: SubscriberStatus; changed: boolean; purpose: TokenPurpose }
  | { kind: "invalid_link"; problem: LinkProblem };

/** Links that manage a subscription: the unsubscribe link of every list mail, and the link to the subscription's page. */
export const MANAGE_PURPOSES: readonly TokenPurpose[] = ["unsubscribe", "preferences"];

/** Checks a link's token (one of `purposes`) and returns its subscriber, without changing anything. */
export async function resolveLink(
  deps: Pick<SubscriptionDeps, "db" | "config" | "clock">,
  token: unknown,
  purposes: TokenPurpose | readonly TokenPurpose[],
): Promise<{ ok: true; subscriber: Subscriber; purpose: TokenPurpose } | { ok: false; problem: TokenProblem | "revoked" }> {
  const verified = await verifyToken(deps.config.signingSecret, token, purposes, deps.clock.now());
  if (!verified.ok) return { ok: false, problem: verified.problem };
  const subscriber = await findSubscriberById(deps.db, verified.claims.subscriberId);
  if (!subscriber || subscriber.tokenVersion !== verified.claims.tokenVersion) return { ok: false, problem: "revoked" };
  return { ok: true, subscriber, purpose: verified.claims.purpose };
}

/**
 * The POST behind the confirmation link: pending becomes active, a welcome email goes to the
 * outbox with it, and an erasure the sign-up reclaimed ends, in one D1 round trip. The token's
 * version must still be the subscriber's.
 */
export async function confirmSubscription(deps: SubscriptionDeps, token: unknown): Promise<LinkOutcome> {
  const now = deps.clock.now();
  const verified = await verifyToken(deps.config.signingSecret, token, "confirm", now);
  if (!verified.ok) return { kind: "invalid_link", problem: verified.problem };
  const { subscriberId: id, tokenVersion } = verified.claims;
  const [confirmed, , , after, sender] = await deps.db.batch([
    eventStatement(deps.db, { id }, "confirm", now, { sql: "token_version = ?", params: [tokenVersion] }),
    welcomeStatement(deps.db, { id }, now),
    endReclaimedErasureStatement(deps.db, id, now),
    findSubscriberStatement(deps.db, id),
    senderAtWorkStatement(deps.db, now),
  ]);
  const subscriber = subscriberFrom(after);
  if (!subscriber || subscriber.tokenVersion !== tokenVersion) return { kind: "invalid_link", problem: "revoked" };
  if (subscriber.status !== "active") return { kind: "invalid_link", problem: "not_allowed" };
  const changed = (confirmed?.meta.changes ?? 0) > 0;
  if (changed && !sender?.results.length) await signalWaitingMail(deps);
  return { kind: "done", subscriber, was: changed ? "pending" : subscriber.status, changed, purpose: "confirm" };
}

/** One-click unsubscribe (RFC 8058) and the unsubscribe buttons of the pages. Takes effect at once. */
export async function unsubscribe(deps: Pick<SubscriptionDeps, "db" | "config" | "clock">, token: unknown): Promise<LinkOutcome> {
  return applyLinkEvent(deps, token, "unsubscribe", "unsubscribed");
}

/**
 * "Subscribe again" (and "confirm" for a pending reader) from a link in our own email, which proves
 * the reader owns the mailbox: it ends an erasure the sign-up reclaimed, like a confirmation.
 */
export async function resubscribe(deps: Pick<SubscriptionDeps, "db" | "config" | "clock">, token: unknown): Promise<LinkOutcome> {
  const outcome = await applyLinkEvent(deps, token, "resubscribe", "active");
  if (outcome.kind === "done" && outcome.changed) await endReclaimedErasureStatement(deps.db, outcome.subscriber.id, outcome.subscriber.confirmedAt ?? 0).run();
  return outcome;
}

/**
 * "Delete my data", from a link that manages the subscription. `suppressedForGood`: the address had
 * bounced or complained, so its hash keeps it from ever being mailed (otherwise a new sign-up and
 * its confirmation bring the owner back).
 */
export async function deleteMyData(
  deps: Pick<SubscriptionDeps, "db" | "config" | "clock">,
  token: unknown,
): Promise<{ kind: "deleted"; suppressedForGood: boolean } | { kind: "invalid_link"; problem: LinkProblem }> {
  const link = await resolveLink(deps, token, MANAGE_PURPOSES);
  if (!link.ok) return { kind: "invalid_link", problem: link.problem };
  await eraseSubscriber(deps.db, deps.config.signingSecret, link.subscriber, "deleted_by_subscriber", deps.clock.now());
  return { kind: "deleted", suppressedForGood: SUPPRESSED.includes(link.subscriber.status) };
}

async function applyLinkEvent(
  deps: Pick<SubscriptionDeps, "db" | "config" | "clock">,
  token: unknown,
  event: "unsubscribe" | "resubscribe",
  expected: Subscriber["status"],
): Promise<LinkOutcome> {
  const link = await resolveLink(deps, token, MANAGE_PURPOSES);
  if (!link.ok) return { kind: "invalid_link", problem: link.problem };
  const result = await applyEvent(deps.db, link.subscriber.id, event, deps.clock.now(), link.subscriber);
  const subscriber = result.subscriber ?? link.subscriber;
  // Bounced and complained addresses stay suppressed: unsubscribing is moot, resubscribing not allowed.
  if (event === "resubscribe" && subscriber.status !== expected) return { kind: "invalid_link", problem: "not_allowed" };
  return { kind: "done", subscriber, was: link.subscriber.status, changed: result.changed, purpose: link.purpose };
}
