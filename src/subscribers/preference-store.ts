/**
 * A reader's choices as D1 keeps them (columns of `subscribers`, migration 0006). A change that
 * moves when their digests arrive (cadence, time zone, hour) is stamped, so the freeze looks at
 * the reader again: they are neither skipped nor sent an edition twice (see `digest/freeze.ts`).
 */
import { changesSchedule, type Preferences } from "./preferences";

interface PreferenceRow {
  cadence: Preferences["cadence"];
  digest_size: number;
  topics: string;
  timezone: string;
  delivery_hour: number;
}

const COLUMNS = "cadence, digest_size, topics, timezone, delivery_hour";

function toPreferences(row: PreferenceRow): Preferences {
  return {
    cadence: row.cadence,
    size: row.digest_size,
    topics: JSON.parse(row.topics) as string[],
    timeZone: row.timezone,
    deliveryHour: row.delivery_hour,
  };
}

export async function findPreferences(db: D1Database, subscriberId: number): Promise<Preferences | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM subscribers WHERE id = ?`).bind(subscriberId).first<PreferenceRow>();
  return row ? toPreferences(row) : null;
}

/** Saves `after` for the reader; `before` is what they had, so a schedule change is stamped. */
export function savePreferencesStatement(db: D1Database, subscriberId: number, before: Preferences, after: Preferences, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE subscribers SET cadence = ?1, digest_size = ?2, topics = ?3, timezone = ?4, delivery_hour = ?5, updated_at = ?6,
         schedule_changed_at = CASE WHEN ?7 THEN ?6 ELSE schedule_changed_at END
       WHERE id = ?8`,
    )
    .bind(after.cadence, after.size, JSON.stringify(after.topics), after.timeZone, after.deliveryHour, now, changesSchedule(before, after) ? 1 : 0, subscriberId);
}

/**
 * The choices made on the sign-up form or in the API call, for an address that has not confirmed
 * yet (a new sign-up, or one still pending): what an unconfirmed request may decide. An active
 * reader's choices change only in their preference centre, behind their own link.
 */
export function signupPreferencesStatement(db: D1Database, emailKey: string, choices: Preferences, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE subscribers SET cadence = ?1, digest_size = ?2, topics = ?3, timezone = ?4, delivery_hour = ?5, updated_at = ?6
       WHERE email_key = ?7 AND status = 'pending'`,
    )
    .bind(choices.cadence, choices.size, JSON.stringify(choices.topics), choices.timeZone, choices.deliveryHour, now, emailKey);
}
