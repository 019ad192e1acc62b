import type { Config } from "../config";
import type { Mailer, OutgoingEmail, SendFailure } from "../delivery/mailer";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { personalize, type RenderedEmail } from "../presentation/render-email";
import { listUnsubscribeHeaders, unsubscribeUrl } from "../subscribers/links";
import type { Chunk } from "./ledger";
import { claimChunk, findChunk, lockPayload, markChunkFailed, markChunkSent, releaseChunk } from "./ledger";
import { type Recipient, recipientsInRange } from "./recipients";
import { findDigest, finishIfSettled } from "./store";

export interface SendChunkDeps {
  db: D1Database;
  clock: Clock;
  mailer: Mailer;
  config: Config;
  log: Logger;
}

export type ChunkOutcome = { kind: "done" } | { kind: "retry"; delaySeconds: number };

/** Long enough for the pacer's wait and one Resend call with its timeout. */
const LEASE_MS = 120_000;
/** After this many attempts a chunk is marked failed for an operator to look at. */
const MAX_CHUNK_ATTEMPTS = 8;

/**
 * Sends one chunk of a digest with one Resend batch call, exactly once:
 * - the ledger claim means only one consumer sends a chunk at a time, and never a sent one;
 * - the Idempotency-Key `digest/<date>/<chunk>` means a retry after an unknown outcome (the
 *   consumer died, the connection dropped) is de-duplicated by Resend, because the payload
 *   was written to the ledger before the call and is sent again byte for byte;
 * - after a known failure (429, 5xx answered) the recipients are read again, so someone who
 *   unsubscribed meanwhile is not sent to.
 */
export async function sendChunk(deps: SendChunkDeps, date: string, number: number): Promise<ChunkOutcome> {
  const now = deps.clock.now();
  const chunk = await claimChunk(deps.db, date, number, now, LEASE_MS);
  if (!chunk) {
    const current = await findChunk(deps.db, date, number);
    if (current?.status !== "sending") return { kind: "done" }; // sent, failed, or unknown: nothing to do
    return { kind: "retry", delaySeconds: Math.max(1, Math.ceil(((current.leaseUntil ?? now) - now) / 1000)) };
  }

  const digest = await findDigest(deps.db, date);
  if (!digest?.html || !digest.text || !digest.subject || digest.frozenAt === null) {
    await markChunkFailed(deps.db, chunk, { error: "digest content missing", outcomeUnknown: chunk.payloadLocked }, now);
    return { kind: "done" };
  }

  const recipients =
    chunk.payloadLocked && chunk.recipients ? chunk.recipients : await recipientsInRange(deps.db, chunk, digest.frozenAt);
  if (recipients.length === 0) {
    await markChunkSent(deps.db, chunk, { ids: [], sentCount: 0 }, now);
    await finishIfSettled(deps.db, date, now);
    return { kind: "done" };
  }

  const emails = await recipientEmails(deps.config, { subject: digest.subject, html: digest.html, text: digest.text }, recipients);

  await lockPayload(deps.db, chunk, recipients, now);
  const result = await deps.mailer.sendBatch(emails, { idempotencyKey: `digest/${date}/${number}` });
  const settledAt = deps.clock.now();

  if (result.ok) {
    await markChunkSent(deps.db, chunk, { ids: result.ids, sentCount: recipients.length }, settledAt);
    await finishIfSettled(deps.db, date, settledAt);
    deps.log.info("chunk sent", { date, chunk: number, recipients: recipients.length, attempt: chunk.attempts });
    return { kind: "done" };
  }
  return settleFailure(deps, chunk, result.failure, settledAt);
}

/** Each recipient's email: the digest rendered once, with their own unsubscribe link and RFC 8058 headers. */
export async function recipientEmails(config: Config, rendered: RenderedEmail, recipients: Recipient[]): Promise<OutgoingEmail[]> {
  return Promise.all(
    recipients.map(async ([id, email, tokenVersion]): Promise<OutgoingEmail> => {
      const url = await unsubscribeUrl(config, { id, tokenVersion });
      return { from: config.mailFrom, to: email, ...personalize(rendered, { unsubscribeUrl: url }), headers: listUnsubscribeHeaders(url) };
    }),
  );
}

async function settleFailure(deps: SendChunkDeps, chunk: Chunk, failure: SendFailure, now: number): Promise<ChunkOutcome> {
  const error = `${failure.kind}: ${failure.message}`;
  const context = { date: chunk.date, chunk: chunk.chunk, attempt: chunk.attempts, error };
  // No answer (status null) or a 409 for a key still in flight: Resend may have accepted it. Once an
  // earlier attempt may have been accepted (the claim found the payload locked), every later one
  // must send that same payload, however this one was answered.
  const outcomeUnknown =
    chunk.payloadLocked || failure.kind === "conflict" || (failure.kind === "transient" && failure.status === null);
  if (failure.kind === "rejected" || chunk.attempts >= MAX_CHUNK_ATTEMPTS) {
    await markChunkFailed(deps.db, chunk, { error, outcomeUnknown }, now);
    await finishIfSettled(deps.db, chunk.date, now);
    deps.log.error("chunk failed", context);
    return { kind: "done" };
  }
  await releaseChunk(deps.db, chunk, { error, outcomeUnknown }, now);
  deps.log.warn("chunk will be retried", { ...context, outcomeUnknown });
  return { kind: "retry", delaySeconds: retryDelaySeconds(failure, chunk.attempts) };
}

function retryDelaySeconds(failure: SendFailure, attempts: number): number {
  if (failure.kind === "rate_limited") return Math.max(1, Math.ceil(failure.retryAfterSeconds ?? 1));
  if (failure.kind === "conflict") return 5;
  // 2, 4, 8, … seconds, at most 5 minutes.
  return Math.min(300, 2 ** Math.max(1, attempts));
}
