/**
 * The shared send budget: every call to Resend, from every consumer and isolate, takes a slot
 * here first. Resend counts calls per team in fixed one-second windows (so does the mock), so the
 * slots sit on a grid of 1/L seconds, half a gap away from the whole seconds: a call that reaches
 * Resend some milliseconds late or early still lands in its own window, and no margin is needed.
 * L is the lower of RESEND_MAX_RPS and the limit Resend's last answer stated (`ratelimit-limit`),
 * so a lowered limit is followed from the next slot on. An answer saying the window is spent
 * (`ratelimit-remaining: 0`, or a 429) blocks every slot until the window resets.
 */
import type { Sleep } from "../lib/clock";
import type { RateLimitAnswer } from "./mailer";

/** A reserved slot, and the limit Resend last stated (null until it has answered once). */
export interface Reservation {
  slot: number;
  statedLimit: number | null;
}

// The grid, in SQL: L, the gap g = 1000/L, and the first grid point h + k·g at or after the earliest
// allowed time b (ceil written with CAST, which truncates: b - h is always positive).
const L = "MIN(?2, COALESCE(send_pacer.limit_per_second, ?2))";
const GAP = `(1000.0 / ${L})`;
const EARLIEST = "MAX(send_pacer.next_slot_at, send_pacer.blocked_until, ?1)";
const STEPS = `((${EARLIEST} - ${GAP} / 2) / ${GAP})`;
const SLOT = `(${GAP} / 2 + (CAST(${STEPS} AS INTEGER) + (${STEPS} > CAST(${STEPS} AS INTEGER))) * ${GAP})`;

/** Reserves the next free slot: one atomic upsert moves the next slot on by one gap and returns the one we got. */
async function reserveSlot(db: D1Database, maxRps: number, now: number): Promise<Reservation> {
  const gap = 1000 / maxRps;
  const first = gap / 2 + Math.ceil((now - gap / 2) / gap) * gap;
  const row = await db
    .prepare(
      `INSERT INTO send_pacer (name, next_slot_at, blocked_until) VALUES ('resend', ?3, 0)
       ON CONFLICT (name) DO UPDATE SET next_slot_at = ${SLOT} + ${GAP}
       RETURNING next_slot_at - ${GAP} AS slot, limit_per_second AS statedLimit`,
    )
    .bind(now, maxRps, first + gap)
    .first<Reservation>();
  return { slot: row!.slot, statedLimit: row!.statedLimit };
}

/**
 * Learns from one answer: the limit it stated, and whether it spent the window. `startedAt` is the
 * call's slot; with one-second windows the window it landed in ends at the next whole second.
 */
async function recordAnswer(
  db: D1Database,
  answer: RateLimitAnswer,
  call: { startedAt: number; answeredAt: number; rateLimited: boolean; statedLimit: number | null },
): Promise<void> {
  const spent = answer.remaining === 0 || (call.rateLimited && answer.remaining === null);
  const limitChanged = answer.limit !== null && answer.limit !== call.statedLimit;
  if (!spent && !limitChanged) return;
  const wait = Math.max(answer.resetSeconds ?? 1, call.rateLimited ? (answer.retryAfterSeconds ?? 1) : 0);
  const blockedUntil = !spent ? 0 : wait <= 1 ? Math.floor(call.startedAt / 1000) * 1000 + 1000 : call.answeredAt + wait * 1000;
  await db
    .prepare(
      `UPDATE send_pacer SET limit_per_second = COALESCE(?1, limit_per_second), blocked_until = MAX(blocked_until, ?2)
       WHERE name = 'resend'`,
    )
    .bind(answer.limit, blockedUntil)
    .run();
}

/** Slots as the senders use them: wait for one, then tell the pacer what Resend answered. */
export interface SendSlots {
  /** Reserves the next free slot and waits until it has come. */
  wait(): Promise<Reservation>;
  record(answer: RateLimitAnswer | null, call: { rateLimited: boolean; reservation: Reservation }): Promise<void>;
}

/** Pacing always runs on real time, whatever clock the domain is given: it spaces real calls to a real limit. */
export function createSendSlots(db: D1Database, maxRps: number, now: () => number, sleep: Sleep): SendSlots {
  return {
    async wait() {
      const reservation = await reserveSlot(db, maxRps, now());
      const remaining = reservation.slot - now();
      if (remaining > 0) await sleep(remaining);
      return reservation;
    },
    async record(answer, call) {
      if (!answer) return;
      const { reservation, rateLimited } = call;
      await recordAnswer(db, answer, { startedAt: reservation.slot, answeredAt: now(), rateLimited, statedLimit: reservation.statedLimit });
    },
  };
}
