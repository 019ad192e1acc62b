import { Resend } from "resend";
import type { BatchAnswer, Mailer, OutgoingEmail, RateLimitAnswer, SendFailure } from "./mailer";
import { MAX_BATCH_SIZE } from "./mailer";

const REQUEST_TIMEOUT_MS = 15_000;

interface ResendAnswer {
  data: unknown;
  error: { statusCode?: number | null; message?: string; name?: string } | null;
  headers?: Record<string, string> | null;
}

/**
 * Sends through Resend's HTTP API with the official SDK, in permissive batch mode. The SDK never
 * throws on HTTP errors and has no retry, so every answer is classified here, and its rate-limit
 * headers are handed back for the pacer.
 */
export function createResendMailer(options: { apiKey: string; baseUrl: string }): Mailer {
  const client = new Resend(options.apiKey, { baseUrl: options.baseUrl });
  return {
    async sendBatch(emails: OutgoingEmail[], { idempotencyKey }): Promise<BatchAnswer> {
      if (emails.length === 0 || emails.length > MAX_BATCH_SIZE)
        throw new RangeError(`a batch holds 1 to ${MAX_BATCH_SIZE} emails, got ${emails.length}`);
      let answer: ResendAnswer;
      try {
        answer = (await client.batch.send(emails.map(toPayload), {
          idempotencyKey,
          batchValidation: "permissive",
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        } as never)) as ResendAnswer;
      } catch (error) {
        // The SDK turns most transport errors into `error`; anything it throws is a call with no answer.
        return { outcome: { ok: false, failure: { kind: "transient", status: null, message: String(error) } }, rateLimit: null };
      }
      const rateLimit = answer.headers ? rateLimitOf(answer.headers) : null;
      if (answer.error) return { outcome: { ok: false, failure: classify(answer) }, rateLimit };
      const body = (answer.data ?? {}) as { data?: { id?: string }[]; errors?: { index?: number; message?: string }[] };
      const refused = (body.errors ?? []).map((error) => ({ index: Number(error.index), message: String(error.message ?? "refused") }));
      // `data` lists the created emails in request order, without the refused ones.
      const created = (body.data ?? []).map((item) => item.id ?? null);
      const refusedAt = new Set(refused.map((error) => error.index));
      const ids: (string | null)[] = emails.map((_, index) => (refusedAt.has(index) ? null : (created.shift() ?? null)));
      return { outcome: { ok: true, ids, refused }, rateLimit };
    },
  };
}

function toPayload(email: OutgoingEmail) {
  return {
    from: email.from,
    to: [email.to],
    subject: email.subject,
    html: email.html,
    text: email.text,
    ...(email.headers ? { headers: email.headers } : {}),
    ...(email.tags ? { tags: email.tags } : {}),
  };
}

function classify(answer: ResendAnswer): SendFailure {
  const status = answer.error?.statusCode ?? null;
  const message = `${answer.error?.name ?? "error"}: ${answer.error?.message ?? "no message"}`;
  if (status === 429) return { kind: "rate_limited", message };
  if (status === 409 && answer.error?.name === "concurrent_idempotent_requests") return { kind: "conflict", message };
  if (status === null || status >= 500 || status === 408) return { kind: "transient", status, message };
  return { kind: "rejected", status, message };
}

function rateLimitOf(headers: Record<string, string>): RateLimitAnswer {
  const number = (name: string) => {
    const value = Number(headers[name]);
    return headers[name] !== undefined && Number.isFinite(value) && value >= 0 ? value : null;
  };
  return {
    limit: number("ratelimit-limit"),
    remaining: number("ratelimit-remaining"),
    resetSeconds: number("ratelimit-reset"),
    retryAfterSeconds: number("retry-after"),
  };
}
