import type { DigestDeps } from "../digest/deps";
import { findDigest } from "../digest/store";
import { personalize } from "../email/render";
import { listUnsubscribeHeaders, unsubscribeUrl } from "../subscribers/links";
import type { Chunk, Recipient } from "./ledger";
import { claimChunk, findChunk, lockPayload, markChunkFailed, markChunkSent, releaseChunk } from "./ledger";
import type { OutgoingEmail, SendFailure } from "./mailer";

export type ChunkOutcome = { kind: "done" } | { kind: "retry"; delaySeconds: number };

/** Long enough for the pacer's wait and one Resend call with its timeout. */
const LEASE_MS = 120_000;
/** After this many attempts a chunk is marked failed for an operator to look at. */
export const MAX_CHUNK_ATTEMPTS = 8;

/**
 * Sends one chunk of a digest with one Resend batch call, exactly once:
 * - the ledger claim means only one consumer sends a chunk at a time, and never a sent one;
 * - the Idempotency-Key `digest/<date>/<chunk>` means a retry after an unknown outcome (the
 *   consumer died, the connection dropped) is de-duplicated by Resend, because the payload
 *   was written to the ledger before the call and is sent again byte for byte;
 * - after a known failure (429, 5xx answered) the recipients are read again, so someone who
 *   unsubscribed meanwhile is not sent to.
 */
export async function sendChunk(deps: DigestDeps, date: string, number: number): Promise<ChunkOutcome> {
  const now = deps.now();
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
    chunk.payloadLocked && chunk.recipients ? chunk.recipients : await currentRecipients(deps.db, chunk, digest.frozenAt);
  if (recipients.length === 0) {
    await markChunkSent(deps.db, chunk, { ids: [], sentCount: 0 }, now);
    await completeDigestIfSettled(deps.db, date, now);
    return { kind: "done" };
  }

  const rendered = { subject: digest.subject, html: digest.html, text: digest.text };
  const emails = await Promise.all(
    recipients.map(async ([id, email, tokenVersion]): Promise<OutgoingEmail> => {
      const url = await unsubscribeUrl(deps.config, { id, tokenVersion });
      return {
        from: deps.config.mailFrom,
        to: email,
        ...personalize(rendered, { unsubscribeUrl: url }),
        headers: listUnsubscribeHeaders(url),
      };
    }),
  );

  await lockPayload(deps.db, chunk, recipients, now);
  const result = await deps.mailer.sendBatch(emails, { idempotencyKey: `digest/${date}/${number}` });
  const settledAt = deps.now();

  if (result.ok) {
    await markChunkSent(deps.db, chunk, { ids: result.ids, sentCount: recipients.length }, settledAt);
    await completeDigestIfSettled(deps.db, date, settledAt);
    deps.log({ message: "chunk sent", date, chunk: number, recipients: recipients.length, attempt: chunk.attempts });
    return { kind: "done" };
  }
  return settleFailure(deps, chunk, result.failure, settledAt);
}

async function settleFailure(deps: DigestDeps, chunk: Chunk, failure: SendFailure, now: number): Promise<ChunkOutcome> {
  const error = `${failure.kind}: ${failure.message}`;
  const context = { date: chunk.date, chunk: chunk.chunk, attempt: chunk.attempts, error };
  // No answer (status null) or a 409 for a key still in flight: Resend may have accepted it. Once an
  // earlier attempt may have been accepted (the claim found the payload locked), every later one
  // must send that same payload, however this one was answered.
  const outcomeUnknown =
    chunk.payloadLocked || failure.kind === "conflict" || (failure.kind === "transient" && failure.status === null);
  if (failure.kind === "rejected" || chunk.attempts >= MAX_CHUNK_ATTEMPTS) {
    await markChunkFailed(deps.db, chunk, { error, outcomeUnknown }, now);
    await completeDigestIfSettled(deps.db, chunk.date, now);
    deps.log({ level: "error", message: "chunk failed", ...context });
    return { kind: "done" };
  }
  await releaseChunk(deps.db, chunk, { error, outcomeUnknown }, now);
  deps.log({ level: "warn", message: "chunk will be retried", ...context, outcomeUnknown });
  return { kind: "retry", delaySeconds: retryDelaySeconds(failure, chunk.attempts) };
}

export function retryDelaySeconds(failure: SendFailure, attempts: number): number {
  if (failure.kind === "rate_limited") return Math.max(1, Math.ceil(failure.retryAfterSeconds ?? 1));
  if (failure.kind === "conflict") return 5;
  // 2, 4, 8, … seconds, at most 5 minutes.
  return Math.min(300, 2 ** Math.max(1, attempts));
}

/** Subscribers of the chunk's id range who were active at freeze time and still are. */
async function currentRecipients(db: D1Database, chunk: Chunk, frozenAt: number): Promise<Recipient[]> {
  const { results } = await db
    .prepare(
      `SELECT id, email, token_version FROM subscribers
       WHERE id > ? AND id <= ? AND status = 'active' AND confirmed_at <= ? ORDER BY id`,
    )
    .bind(chunk.afterId, chunk.lastId, frozenAt)
    .all<{ id: number; email: string; token_version: number }>();
  return results.map((row) => [row.id, row.email, row.token_version]);
}

/** Marks the digest sent once no chunk is pending or sending. */
export async function completeDigestIfSettled(db: D1Database, date: string, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE digests SET status = 'sent', completed_at = ?1, updated_at = ?1
       WHERE date = ?2 AND status = 'sending'
         AND NOT EXISTS (SELECT 1 FROM digest_chunks WHERE digest_date = ?2 AND status IN ('pending', 'sending'))`,
    )
    .bind(now, date)
    .run();
}
