import type { Sleep } from "../lib/clock";
import type { Mailer, SendResult } from "./mailer";

/**
 * Slots are 5% further apart than 1/rps: a call reaches Resend some milliseconds after its
 * slot (timers, CPU, the upload), and one late call followed by punctual ones would otherwise
 * put rps + 1 calls into one second and earn a 429.
 */
const HEADROOM = 1.05;

/**
 * Reserves the next free slot for a call to Resend, shared through D1 by every consumer and
 * isolate: one atomic upsert moves `next_slot_at` on by 1/rps (plus headroom) and returns the
 * slot we got. Returns how long to wait, from `now`, before calling; or null, reserving
 * nothing, when the next free slot is more than `maxWaitMs` away.
 */
export async function reserveSendSlot(db: D1Database, rps: number, now: number, maxWaitMs = NO_LIMIT): Promise<number | null> {
  const interval = Math.ceil((1000 * HEADROOM) / rps);
  const row = await db
    .prepare(
      `INSERT INTO send_pacer (name, next_slot_at) VALUES ('resend', ?1 + ?2)
       ON CONFLICT (name) DO UPDATE SET next_slot_at = max(next_slot_at, ?1) + ?2
       WHERE send_pacer.next_slot_at <= ?1 + ?3
       RETURNING next_slot_at - ?2 AS slot`,
    )
    .bind(now, interval, maxWaitMs)
    .first<{ slot: number }>();
  return row ? Math.max(0, row.slot - now) : null;
}

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** A mailer that never calls the provider faster than `rps` across all instances. */
export function pacedMailer(
  mailer: Mailer,
  pacing: { db: D1Database; rps: number; now: () => number; sleep: Sleep },
): Mailer {
  /** Waits for a slot; false when none is free within `maxWaitMs` (nothing is then reserved). */
  const wait = async (maxWaitMs?: number): Promise<boolean> => {
    const reservedAt = pacing.now();
    const delay = await reserveSendSlot(pacing.db, pacing.rps, reservedAt, maxWaitMs);
    if (delay === null) return false;
    // The slot is a point in time: the round trip to D1 already used up part of the wait.
    const remaining = delay - (pacing.now() - reservedAt);
    if (remaining > 0) await pacing.sleep(remaining);
    return true;
  };
  const busy: SendResult = { ok: false, failure: { kind: "busy", message: "no send slot free within the wait allowed" } };
  return {
    async send(email, options) {
      if (!(await wait(options.maxWaitMs))) return busy;
      return mailer.send(email, options);
    },
    async sendBatch(emails, options) {
      if (!(await wait(options.maxWaitMs))) return busy;
      return mailer.sendBatch(emails, options);
    },
  };
}
