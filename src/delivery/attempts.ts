import type { SendFailure } from "./mailer";

/**
 * Resend keeps an Idempotency-Key for 24 hours. A payload whose outcome is unknown is resent under
 * its key only within 23 of them: after that a resend could be delivered a second time.
 */
export const IDEMPOTENCY_SAFE_MS = 23 * 60 * 60 * 1000;

/** Calls in a row, in consecutive free slots, before a failing send backs off through the queue. */
const ATTEMPTS_IN_A_ROW = 3;

export type AfterFailure =
  /** Try again in the next free slot: the rate budget is the scarce resource, not time. */
  | { kind: "retry_now"; outcomeUnknown: boolean }
  /** Give the work back for a later attempt, after `delaySeconds`. */
  | { kind: "back_off"; outcomeUnknown: boolean; delaySeconds: number }
  /** Never going to work (or tried too often): stop, for an operator to look at. */
  | { kind: "give_up"; outcomeUnknown: boolean };

/**
 * What to do after a failed call. The outcome is unknown when there was no answer or the key was
 * still in flight (409): Resend may have accepted it, so every later attempt must send the very
 * same payload under the same key. Once unknown, it stays unknown.
 */
export function afterFailure(
  failure: SendFailure,
  attempt: { number: number; inThisRun: number; max: number; wasUnknown: boolean },
): AfterFailure {
  const outcomeUnknown = attempt.wasUnknown || failure.kind === "conflict" || (failure.kind === "transient" && failure.status === null);
  if (failure.kind === "rejected" || attempt.number >= attempt.max) return { kind: "give_up", outcomeUnknown };
  if (attempt.inThisRun < ATTEMPTS_IN_A_ROW) return { kind: "retry_now", outcomeUnknown };
  return { kind: "back_off", outcomeUnknown, delaySeconds: Math.min(60, 2 ** attempt.number) };
}

/** A failure as one line for the ledger and the logs. */
export function describeFailure(failure: SendFailure): string {
  return `${failure.kind}: ${failure.message}`;
}
