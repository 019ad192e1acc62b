/**
 * What a reader does: sign up, confirm, leave, come back. Each is a plain function over
 * explicit services; the routes only parse the request and render the outcome.
 */
import { parseBlocklist } from "../abuse/blocklist";
import type { Config } from "../config";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { parseEmailAddress } from "./address";
import { confirmationOutcome, confirmationStatements, welcomeStatement } from "./confirmations";
import { type MailJob, senderAtWorkStatement, signalWaitingMail } from "./outbox";
import { addressHash } from "./privacy";
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

export type SubscribeOutcome = { kind: "accepted" } | { kind: "invalid_email"; reason: string } | { kind: "blocked_domain"; domain: string };

/**
 * A sign-up. The visitor sees the same answer whatever state the address was in, so the
 * form cannot be used to learn who subscribes. New and unsubscribed addresses get a
 * confirmation email; pending ones get it again at most every 10 minutes. The mail goes to the
 * outbox and the visitor is answered at once: the queue consumer sends it within seconds.
 */
export async function requestSubscription(deps: SubscriptionDeps, input: unknown): Promise<SubscribeOutcome> {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return { kind: "invalid_email", reason: parsed.reason };
  const domain = parsed.value.address.slice(parsed.value.address.lastIndexOf("@") + 1);
  if (parseBlocklist(deps.config.domainBlocklist)(domain)) return { kind: "blocked_domain", domain };
  const now = deps.clock.now();
  const hash = await addressHash(deps.config.signingSecret, parsed.value.key);
  // One D1 round trip: the subscriber (never for an erased, suppressed address), the claim and the mail.
  const results = await deps.db.batch([
    insertSubscriberStatement(deps.db, parsed.value, hash, now),
    ...confirmationStatements(deps.db, { emailKey: parsed.value.key }, now),
  ]);
  if (confirmationOutcome(results) === "queued") await signalWaitingMail(deps);
  return { kind: "accepted" };
}

export type LinkOutcome =
  | { kind: "done"; subscriber: Subscriber; changed: boolean }
  | { kind: "invalid_link"; problem: TokenProblem | "revoked" | "not_allowed" };

/** Checks a link's token and returns its subscriber, without changing anything. */
export async function resolveLink(
  deps: Pick<SubscriptionDeps, "db" | "config" | "clock">,
  token: unknown,
  purpose: TokenPurpose,
): Promise<{ ok: true; subscriber: Subscriber } | { ok: false; problem: TokenProblem | "revoked" }> {
  const verified = await verifyToken(deps.config.signingSecret, token, purpose, deps.clock.now());
  if (!verified.ok) return { ok: false, problem: verified.problem };
  const subscriber = await findSubscriberById(deps.db, verified.claims.subscriberId);
  if (!subscriber || subscriber.tokenVersion !== verified.claims.tokenVersion) return { ok: false, problem: "revoked" };
  return { ok: true, subscriber };
}

/**
 * The POST behind the confirmation link: pending becomes active, and a welcome email goes to the
 * outbox with it, in one D1 round trip. The token's version must still be the subscriber's.
 */
export async function confirmSubscription(deps: SubscriptionDeps, token: unknown): Promise<LinkOutcome> {
  const now = deps.clock.now();
  const verified = await verifyToken(deps.config.signingSecret, token, "confirm", now);
  if (!verified.ok) return { kind: "invalid_link", problem: verified.problem };
  const { subscriberId: id, tokenVersion } = verified.claims;
  const [confirmed, , after, sender] = await deps.db.batch([
    eventStatement(deps.db, { id }, "confirm", now, { sql: "token_version = ?", params: [tokenVersion] }),
    welcomeStatement(deps.db, { id }, now),
    findSubscriberStatement(deps.db, id),
    senderAtWorkStatement(deps.db, now),
  ]);
  const subscriber = subscriberFrom(after);
  if (!subscriber || subscriber.tokenVersion !== tokenVersion) return { kind: "invalid_link", problem: "revoked" };
  if (subscriber.status !== "active") return { kind: "invalid_link", problem: "not_allowed" };
  const changed = (confirmed?.meta.changes ?? 0) > 0;
  if (changed && !sender?.results.length) await signalWaitingMail(deps);
  return { kind: "done", subscriber, changed };
}

/** One-click unsubscribe (RFC 8058) and the unsubscribe page's button. Takes effect at once. */
export async function unsubscribe(deps: Pick<SubscriptionDeps, "db" | "config" | "clock">, token: unknown): Promise<LinkOutcome> {
  return applyLinkEvent(deps, token, "unsubscribe", "unsubscribed");
}

/** The "resubscribe" button on the unsubscribe confirmation page. */
export async function resubscribe(deps: Pick<SubscriptionDeps, "db" | "config" | "clock">, token: unknown): Promise<LinkOutcome> {
  return applyLinkEvent(deps, token, "resubscribe", "active");
}

async function applyLinkEvent(
  deps: Pick<SubscriptionDeps, "db" | "config" | "clock">,
  token: unknown,
  event: "unsubscribe" | "resubscribe",
  expected: Subscriber["status"],
): Promise<LinkOutcome> {
  const link = await resolveLink(deps, token, "unsubscribe");
  if (!link.ok) return { kind: "invalid_link", problem: link.problem };
  const result = await applyEvent(deps.db, link.subscriber.id, event, deps.clock.now(), link.subscriber);
  const subscriber = result.subscriber ?? link.subscriber;
  // Bounced and complained addresses stay suppressed: unsubscribing is moot, resubscribing not allowed.
  if (event === "resubscribe" && subscriber.status !== expected) return { kind: "invalid_link", problem: "not_allowed" };
  return { kind: "done", subscriber, changed: result.changed };
}
