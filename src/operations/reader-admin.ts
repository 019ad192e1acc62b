/**
 * The operator's work on one reader, shared by the JSON endpoints and the dashboard: look an address
 * up, erase it, lift its suppression. Each answers with what happened, for the caller to word.
 */
import { parseEmailAddress } from "../subscribers/address";
import { findPreferences } from "../subscribers/preference-store";
import type { Preferences } from "../subscribers/preferences";
import { eraseSubscriber, findSuppression, liftSuppression, type Suppression } from "../subscribers/privacy";
import { findSubscriberByKey, type Subscriber } from "../subscribers/store";

interface ReaderAdminDeps {
  db: D1Database;
  /** SIGNING_SECRET: suppressions are keyed hashes of addresses. */
  secret: string;
  now: number;
}

export type ReaderLookup =
  | { kind: "invalid"; reason: string }
  | { kind: "found"; subscriber: Subscriber; suppression: Suppression; preferences: Preferences | null }
  | { kind: "erased"; address: string; erasure: string }
  | { kind: "unknown"; address: string };

export async function lookUpReader(deps: ReaderAdminDeps, input: string): Promise<ReaderLookup> {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return { kind: "invalid", reason: parsed.reason };
  const { address, key } = parsed.value;
  const [subscriber, suppression] = await Promise.all([findSubscriberByKey(deps.db, key), findSuppression(deps.db, deps.secret, key)]);
  if (subscriber) return { kind: "found", subscriber, suppression, preferences: await findPreferences(deps.db, subscriber.id) };
  if (suppression.erasure) return { kind: "erased", address, erasure: suppression.erasure };
  return { kind: "unknown", address };
}

export type Erasure = Exclude<ReaderLookup, { kind: "found" }> | { kind: "erased_now"; address: string };

export async function eraseReader(deps: ReaderAdminDeps, input: string): Promise<Erasure> {
  const lookup = await lookUpReader(deps, input);
  if (lookup.kind !== "found") return lookup;
  await eraseSubscriber(deps.db, deps.secret, lookup.subscriber, "deleted_by_operator", deps.now);
  return { kind: "erased_now", address: lookup.subscriber.email };
}

export type Lift =
  | { kind: "invalid"; reason: string }
  | { kind: "not_suppressed"; address: string }
  | { kind: "lifted"; address: string; liftedErasure: string | null; liftedStatus: string | null; subscriber: Subscriber | null };

/** Lets a suppressed address back in: nothing is sent; its owner signs up and confirms like anyone. */
export async function liftReaderSuppression(deps: ReaderAdminDeps, input: string): Promise<Lift> {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return { kind: "invalid", reason: parsed.reason };
  const { address, key } = parsed.value;
  const lifted = await liftSuppression(deps.db, deps.secret, key, deps.now);
  if (!lifted.erasure && !lifted.status) return { kind: "not_suppressed", address };
  return { kind: "lifted", address, liftedErasure: lifted.erasure, liftedStatus: lifted.status, subscriber: await findSubscriberByKey(deps.db, key) };
}
