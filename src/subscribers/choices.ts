/**
 * A reader's choices as they change: made at sign-up (on the form or in the API call, the time zone
 * from the visitor's connection when none is given), changed in the preference centre, or switched to
 * weekly instead of leaving. Plain functions over explicit services; the routes only parse and answer.
 */
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { canonicalZone } from "../lib/time-zones";
import { findPreferences, savePreferencesStatement } from "./preference-store";
import { applyPreferences, DEFAULT_PREFERENCES, type PreferenceInput, type Preferences } from "./preferences";

/** What a sign-up chose: what it said, the rest default; its zone, else the connection's (Cloudflare's `cf.timezone`), else UTC. */
export function signupChoices(input: PreferenceInput, connectionZone: string | null): Preferences {
  const zone = input.timezone ?? (connectionZone === null ? null : canonicalZone(connectionZone));
  return applyPreferences(DEFAULT_PREFERENCES, { ...input, timezone: zone ?? undefined });
}

/**
 * Changes a reader's choices; returns what they have now, or null for a reader who no longer
 * exists. A change of cadence, zone or hour is stamped for the freeze, so it neither skips nor
 * repeats the edition going out.
 */
export async function changeChoices(
  deps: { db: D1Database; clock: Clock; log: Logger },
  subscriberId: number,
  input: PreferenceInput,
): Promise<Preferences | null> {
  const before = await findPreferences(deps.db, subscriberId);
  if (!before) return null;
  const after = applyPreferences(before, input);
  await deps.db.batch([savePreferencesStatement(deps.db, subscriberId, before, after, deps.clock.now())]);
  deps.log.info("reader's choices changed", { subscriberId, cadence: after.cadence, size: after.size, topics: after.topics.length, timeZone: after.timeZone, hour: after.deliveryHour });
  return after;
}
