/** The one interface through which paperboy sends mail. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * Why a send failed, in the terms delivery decisions need:
 * - `rate_limited`: try again after `retryAfterSeconds` (429).
 * - `transient`: server error or no answer; try again with backoff.
 * - `conflict`: the same idempotency key is being processed right now (409); try again later.
 * - `rejected`: the request itself is wrong and will never succeed.
 * - `busy`: not attempted: the shared rate allowed no call within `maxWaitMs`.
 */
export type SendFailure =
  | { kind: "rate_limited"; retryAfterSeconds: number | null; message: string }
  | { kind: "transient"; status: number | null; message: string }
  | { kind: "conflict"; message: string }
  | { kind: "rejected"; status: number; message: string }
  | { kind: "busy"; message: string };

export type SendResult = { ok: true; ids: string[] } | { ok: false; failure: SendFailure };

export interface SendOptions {
  /** Retries with the same key and payload are de-duplicated by the provider. */
  idempotencyKey: string;
  /** Give up without calling (`busy`) rather than wait longer than this for a free send slot. */
  maxWaitMs?: number;
}

export interface Mailer {
  send(email: OutgoingEmail, options: SendOptions): Promise<SendResult>;
  /** At most 100 emails: one provider call. */
  sendBatch(emails: OutgoingEmail[], options: SendOptions): Promise<SendResult>;
}

export const MAX_BATCH_SIZE = 100;
