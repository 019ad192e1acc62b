/** The one interface through which paperboy sends mail: batches of up to 100, as Resend's `/emails/batch` takes them. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** Resend echoes them in its webhook events, so a bounce or complaint can be traced to what was sent. */
  tags?: EmailTag[];
}

/** A name and a value of ASCII letters, digits, underscores and dashes, at most 256 each (Resend's rule, `tags.ts`). */
export interface EmailTag {
  name: string;
  value: string;
}

/**
 * Why a call failed, in the terms delivery decisions need:
 * - `rate_limited`: 429; try again in a later slot.
 * - `transient`: a server error (status) or no answer at all (status null: the call may have been accepted).
 * - `conflict`: the same idempotency key is being processed right now (409); the call may have been accepted.
 * - `rejected`: the request itself is wrong and will never succeed.
 */
export type SendFailure =
  | { kind: "rate_limited"; message: string }
  | { kind: "transient"; status: number | null; message: string }
  | { kind: "conflict"; message: string }
  | { kind: "rejected"; status: number; message: string };

/** Permissive validation: the batch went out without these emails, refused by index with Resend's reason. */
interface RefusedEmail {
  index: number;
  message: string;
}

type BatchOutcome =
  | { ok: true; ids: (string | null)[]; refused: RefusedEmail[] }
  | { ok: false; failure: SendFailure };

/** What Resend's `ratelimit-*` and `retry-after` headers said; null where a header was absent. */
export interface RateLimitAnswer {
  limit: number | null;
  remaining: number | null;
  resetSeconds: number | null;
  retryAfterSeconds: number | null;
}

export interface BatchAnswer {
  outcome: BatchOutcome;
  /** null when there was no answer at all (the connection failed), or no provider (the local outbox). */
  rateLimit: RateLimitAnswer | null;
}

export interface Mailer {
  /**
   * One provider call with 1 to 100 emails, validated permissively: valid emails are sent and the
   * invalid ones come back in `refused`. Retries with the same key and payload are de-duplicated.
   */
  sendBatch(emails: OutgoingEmail[], options: { idempotencyKey: string }): Promise<BatchAnswer>;
}

export const MAX_BATCH_SIZE = 100;
