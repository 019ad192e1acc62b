import { Resend } from "resend";
import type { Mailer, OutgoingEmail, SendFailure, SendOptions, SendResult } from "./mailer";
import { MAX_BATCH_SIZE } from "./mailer";

const REQUEST_TIMEOUT_MS = 15_000;

interface ResendAnswer {
  data: unknown;
  error: { statusCode?: number | null; message?: string; name?: string } | null;
  headers?: Record<string, string> | null;
}

/** Sends through Resend's HTTP API. The SDK never throws on HTTP errors, so every answer is classified here. */
export function createResendMailer(options: { apiKey: string; baseUrl: string }): Mailer {
  const client = new Resend(options.apiKey, { baseUrl: options.baseUrl });
  return {
    async send(email: OutgoingEmail, { idempotencyKey }: SendOptions): Promise<SendResult> {
      const answer = (await client.emails.send(toPayload(email), {
        idempotencyKey,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      } as never)) as ResendAnswer;
      if (answer.error) return { ok: false, failure: classify(answer) };
      return { ok: true, ids: [(answer.data as { id: string }).id] };
    },
    async sendBatch(emails: OutgoingEmail[], { idempotencyKey }: SendOptions): Promise<SendResult> {
      if (emails.length === 0 || emails.length > MAX_BATCH_SIZE)
        throw new RangeError(`a batch holds 1 to ${MAX_BATCH_SIZE} emails, got ${emails.length}`);
      const answer = (await client.batch.send(emails.map(toPayload), {
        idempotencyKey,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      } as never)) as ResendAnswer;
      if (answer.error) return { ok: false, failure: classify(answer) };
      const ids = ((answer.data as { data?: { id: string }[] }).data ?? []).map((item) => item.id);
      return { ok: true, ids };
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
  };
}

function classify(answer: ResendAnswer): SendFailure {
  const status = answer.error?.statusCode ?? null;
  const message = `${answer.error?.name ?? "error"}: ${answer.error?.message ?? "no message"}`;
  if (status === 429) {
    const retryAfter = Number(answer.headers?.["retry-after"]);
    return { kind: "rate_limited", retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null, message };
  }
  if (status === 409 && answer.error?.name === "concurrent_idempotent_requests") return { kind: "conflict", message };
  if (status === null || status >= 500 || status === 408) return { kind: "transient", status, message };
  return { kind: "rejected", status, message };
}
