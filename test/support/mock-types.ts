/** The mock upstream's settings and records, shared by the Node server and the Worker tests that drive it. */
export interface FaultRates {
  /** Share of send calls answered 500 before anything is accepted. */
  error500?: number;
  /** Share of send calls answered 429 before anything is accepted. */
  error429?: number;
  /** Share of send calls accepted and recorded, whose connection is then destroyed unanswered. */
  dropAfterAccept?: number;
  /** Share of send calls answered only after `slowMs`. */
  slow?: number;
  slowMs?: number;
}

export interface MockSettings {
  /** Resend's team rate limit, in requests per second across all callers; 0 means unlimited. */
  rateLimitPerSecond: number;
  faults: FaultRates;
  /**
   * Faults to inject for the next calls, in order, before `faults` rates apply ("slow" waits
   * `faults.slowMs`). "limit" is a 429 from the rate limiter, which answers before the
   * Idempotency-Key is looked at (so even a retry of an accepted request can get one); the others
   * apply after it.
   */
  scriptedFaults: ("500" | "429" | "limit" | "drop" | "drop-after-accept" | "422" | "slow")[];
  /** Papers per date, as the HF API returns them (already-shaped items). */
  papers: Record<string, unknown[]>;
  /** Status codes to answer on the next papers requests (e.g. 503 twice, then data). */
  scriptedPaperStatuses: number[];
  /** Faults for the next papers requests, in order; each request takes one before `scriptedPaperStatuses` apply. */
  scriptedPaperFaults: PaperFault[];
  /** How long a "slow" papers answer takes. */
  paperSlowMs: number;
  /** The `retry-after` header sent with a scripted 429 papers answer; null sends none. */
  paperRetryAfter: string | null;
  /** Seed for the fault dice, so a run can be repeated. */
  seed: number;
  /**
   * The next N send calls are answered 429 by the rate limiter. Like Resend's, it answers before
   * the Idempotency-Key is looked at, so even a retry of an accepted request can get one.
   */
  scriptedRateLimits?: number;
}

/**
 * - `slow`: answer normally after `paperSlowMs`;
 * - `not-json`: answer 200 with an HTML page;
 * - `not-array`: answer 200 with a JSON object instead of the array of items;
 * - `drop`: destroy the connection unanswered.
 */
type PaperFault = "slow" | "not-json" | "not-array" | "drop";

export interface RecordedSend {
  path: string;
  idempotencyKey: string | null;
  authorization: string | null;
  body: unknown;
  status: number;
  at: number;
}

/** A recorded send call without its (large) body: what `GET /__mock/calls` lists. */
export interface SendCall {
  path: string;
  idempotencyKey: string | null;
  status: number;
  at: number;
  /** Every `to` address in the call's emails, in order. */
  recipients: string[];
}

export interface Delivery {
  id: string;
  to: string;
  subject: string;
  idempotencyKey: string | null;
  headers: Record<string, string>;
  /** Its tags, as Resend echoes them in webhook events. */
  tags: { name: string; value: string }[];
  /** When the mock accepted it (ms since the epoch). */
  at: number;
  /** The plain-text part, when the mock kept it (see `compactBodies`). */
  text: string | null;
}
