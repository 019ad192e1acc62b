import type { Config } from "../config";
import type { Subscriber } from "./store";
import { CONFIRM_TOKEN_TTL_MS, signToken } from "./tokens";

/** Absolute links into paperboy for one subscriber. Every email link is built here. */
export async function confirmUrl(config: Config, subscriber: Pick<Subscriber, "id" | "tokenVersion">, now: number): Promise<string> {
  const token = await signToken(config.signingSecret, {
    purpose: "confirm",
    subscriberId: subscriber.id,
    tokenVersion: subscriber.tokenVersion,
    expiresAt: now + CONFIRM_TOKEN_TTL_MS,
  });
  return `${config.publicBaseUrl}/confirm?token=${token}`;
}

export async function unsubscribeUrl(
  config: Config,
  subscriber: Pick<Subscriber, "id" | "tokenVersion">,
): Promise<string> {
  const token = await signToken(config.signingSecret, {
    purpose: "unsubscribe",
    subscriberId: subscriber.id,
    tokenVersion: subscriber.tokenVersion,
    expiresAt: null,
  });
  return `${config.publicBaseUrl}/unsubscribe?token=${token}`;
}

/**
 * The subscription's own page and the reader's choices (the preference centre). Like the
 * unsubscribe link it grants (unsubscribing, coming back, deleting the data), it does not expire;
 * bumping the subscriber's token version revokes it with the others.
 */
export async function preferencesUrl(config: Config, subscriber: Pick<Subscriber, "id" | "tokenVersion">): Promise<string> {
  const token = await signToken(config.signingSecret, {
    purpose: "preferences",
    subscriberId: subscriber.id,
    tokenVersion: subscriber.tokenVersion,
    expiresAt: null,
  });
  return `${config.publicBaseUrl}/preferences?token=${token}`;
}

/**
 * The headers of every list mail and every mail with a link to the subscription (the digest, the
 * welcome, "you're already subscribed", the manage link): RFC 2919's List-Id, which readers
 * and mail clients filter on, named inside paperboy's own domain; and RFC 2369 + RFC 8058
 * List-Unsubscribe, which mail clients show as an unsubscribe button that POSTs to the URL.
 */
export function listHeaders(config: Pick<Config, "publicBaseUrl">, unsubscribe: string, cadence: "daily" | "weekly" = "daily"): Record<string, string> {
  return {
    "List-Id": `paperboy ${cadence} <${cadence}.${new URL(config.publicBaseUrl).hostname}>`,
    "List-Unsubscribe": `<${unsubscribe}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
