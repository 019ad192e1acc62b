import type { Config } from "../config";
import { afterFailure, describeFailure } from "../delivery/attempts";
import { LEASE, whileLeased } from "../delivery/lease";
import type { Mailer, OutgoingEmail } from "../delivery/mailer";
import type { Reservation, SendSlots } from "../delivery/pacer";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { personalize, type RenderedEmail } from "../presentation/render-email";
import { listHeaders, unsubscribeUrl } from "../subscribers/links";
import { hasWaitingMail, sendWaitingMail } from "../subscribers/outbox";
import { refusedStatements } from "../subscribers/store";
import type { Chunk } from "./ledger";
import {
  claimChunk,
  findChunk,
  lockPayload,
  markChunkFailed,
  markChunkUnknown,
  nextChunkAttempt,
  pastIdempotencyWindow,
  releaseChunk,
  renewChunkLease,
  sentStatement,
} from "./ledger";
import { type Recipient, recipientsInRange } from "./recipients";
import { settleDigest } from "./settle";
import { type Digest, findDigest } from "./store";

export interface SendChunkDeps {
  db: D1Database;
  clock: Clock;
  mailer: Mailer;
  slots: SendSlots;
  config: Config;
  log: Logger;
}

export type ChunkOutcome = { kind: "done" } | { kind: "retry"; delaySeconds: number };

/** After this many calls a chunk is marked failed for an operator to look at. */
const MAX_CHUNK_ATTEMPTS = 8;

/**
 * Sends one chunk of a digest with one Resend batch call, exactly once:
 * - the ledger claim means only one consumer sends a chunk at a time, and never a sent one; its
 *   short lease is renewed while the call runs, so a dead consumer's chunk is taken over in seconds;
 * - the Idempotency-Key `digest/<date>/<chunk>` means a retry after an unknown outcome (the
 *   consumer died, the connection dropped) is de-duplicated by Resend, because the payload
 *   was written to the ledger before the call and is sent again byte for byte;
 * - after a known failure (429, 5xx answered) the recipients are read again, so someone who
 *   unsubscribed meanwhile is not sent to; the retry takes the next free slot.
 * Transactional mail comes first: when it waits, the chunk gives its slot to it and takes the next.
 */
export async function sendChunk(deps: SendChunkDeps, date: string, number: number): Promise<ChunkOutcome> {
  const now = deps.clock.now();
  const claimed = await claimChunk(deps.db, date, number, now, LEASE.durationMs);
  if (!claimed) {
    const current = await findChunk(deps.db, date, number);
    if (current?.status !== "sending") return { kind: "done" }; // sent or failed: nothing to do
    return { kind: "retry", delaySeconds: Math.max(1, Math.ceil(((current.leaseUntil ?? now) - now) / 1000)) };
  }
  const digest = await findDigest(deps.db, date);
  if (!digest?.html || !digest.text || !digest.subject || digest.frozenAt === null) {
    await markChunkFailed(deps.db, claimed, { error: "digest content missing", outcomeUnknown: claimed.payloadLocked, kind: "permanent" }, now);
    await settleDigest(deps, date, now);
    return { kind: "done" };
  }
  const owned = { chunk: claimed };
  const renew = () => renewChunkLease(deps.db, owned.chunk, deps.clock.now(), LEASE.durationMs);
  return whileLeased(renew, LEASE.renewEveryMs, () => sendUntilSettled(deps, digest as SendableDigest, owned));
}

type SendableDigest = Digest & { subject: string; html: string; text: string; frozenAt: number };

async function sendUntilSettled(deps: SendChunkDeps, digest: SendableDigest, owned: { chunk: Chunk }): Promise<ChunkOutcome> {
  const rendered = { subject: digest.subject, html: digest.html, text: digest.text };
  for (let inThisRun = 1; ; inThisRun++) {
    const chunk = owned.chunk;
    if (pastIdempotencyWindow(chunk, deps.clock.now())) return leaveForOperator(deps, chunk);
    // A first attempt is prepared before its slot, so the call leaves on time; a retry after a known
    // failure waits for its slot first and then reads the recipients, so whoever left meanwhile is out.
    const rereads = inThisRun > 1 && !chunk.payloadLocked;
    let reservation = rereads ? await slotAfterWaitingMail(deps) : null;
    const recipients = chunk.payloadLocked && chunk.recipients ? chunk.recipients : await recipientsInRange(deps.db, chunk, digest.frozenAt);
    if (recipients.length === 0) return settleSent(deps, chunk, recipients, { ids: [], refused: [] });
    const emails = await recipientEmails(deps.config, rendered, recipients);
    await lockPayload(deps.db, chunk, recipients, deps.clock.now());
    reservation ??= await slotAfterWaitingMail(deps);
    const answer = await deps.mailer.sendBatch(emails, { idempotencyKey: `digest/${chunk.date}/${chunk.chunk}` });
    const { outcome } = answer;
    await deps.slots.record(answer.rateLimit, { rateLimited: !outcome.ok && outcome.failure.kind === "rate_limited", reservation });
    if (outcome.ok) return settleSent(deps, chunk, recipients, outcome);

    const now = deps.clock.now();
    const step = afterFailure(outcome.failure, { number: chunk.attempts, inThisRun, max: MAX_CHUNK_ATTEMPTS, wasUnknown: chunk.payloadLocked });
    const failure = { error: describeFailure(outcome.failure), outcomeUnknown: step.outcomeUnknown };
    const context = { date: chunk.date, chunk: chunk.chunk, attempt: chunk.attempts, error: failure.error };
    if (step.kind === "give_up") {
      await markChunkFailed(deps.db, chunk, { ...failure, kind: outcome.failure.kind === "rejected" ? "permanent" : "transient" }, now);
      deps.log.error("chunk failed", context);
      await settleDigest(deps, chunk.date, now);
      return { kind: "done" };
    }
    deps.log.warn("chunk will be retried", { ...context, outcomeUnknown: failure.outcomeUnknown, next: step.kind });
    if (step.kind === "back_off") {
      await releaseChunk(deps.db, chunk, failure, now);
      return { kind: "retry", delaySeconds: step.delaySeconds };
    }
    const next = await nextChunkAttempt(deps.db, chunk, failure, now, LEASE.durationMs);
    if (!next) return { kind: "done" }; // another consumer took it over: it is theirs now
    owned.chunk = next;
  }
}

/**
 * A payload Resend may have accepted more than 23 hours ago is not sent again: its Idempotency-Key
 * may have expired, and a resend could reach its readers twice. An operator decides.
 */
async function leaveForOperator(deps: SendChunkDeps, chunk: Chunk): Promise<ChunkOutcome> {
  const now = deps.clock.now();
  const since = new Date(chunk.lockedAt!).toISOString();
  const error = `outcome unknown since ${since}, past the 24-hour Idempotency-Key window; not resent (last error: ${chunk.lastError ?? "none"})`;
  await markChunkUnknown(deps.db, chunk, error, now);
  deps.log.error("chunk outcome unknown, left for an operator", { date: chunk.date, chunk: chunk.chunk, since });
  await settleDigest(deps, chunk.date, now);
  return { kind: "done" };
}

/** The next free slot for this chunk; slots that come while transactional mail waits go to the mail. */
async function slotAfterWaitingMail(deps: SendChunkDeps): Promise<Reservation> {
  for (;;) {
    const reservation = await deps.slots.wait();
    if (!(await hasWaitingMail(deps.db))) return reservation;
    if ((await sendWaitingMail(deps, reservation)) === "idle") return reservation;
  }
}

async function settleSent(
  deps: SendChunkDeps,
  chunk: Chunk,
  recipients: Recipient[],
  result: { ids: (string | null)[]; refused: { index: number; message: string }[] },
): Promise<ChunkOutcome> {
  const now = deps.clock.now();
  const refused = result.refused.map(({ index, message }) => ({ subscriberId: recipients[index]![0], reason: message }));
  const sentCount = recipients.length - refused.length;
  await deps.db.batch([
    sentStatement(deps.db, chunk, { ids: result.ids, sentCount, rejectedCount: refused.length }, now),
    ...refusedStatements(deps.db, refused, now),
  ]);
  deps.log.info("chunk sent", { date: chunk.date, chunk: chunk.chunk, recipients: sentCount, refused: refused.length, attempt: chunk.attempts });
  await settleDigest(deps, chunk.date, now);
  return { kind: "done" };
}

/** Each recipient's email: the digest rendered once, with their own unsubscribe link and RFC 8058 headers. */
export async function recipientEmails(config: Config, rendered: RenderedEmail, recipients: Recipient[]): Promise<OutgoingEmail[]> {
  return Promise.all(
    recipients.map(async ([id, email, tokenVersion]): Promise<OutgoingEmail> => {
      const url = await unsubscribeUrl(config, { id, tokenVersion });
      return { from: config.mailFrom, to: email, ...personalize(rendered, { unsubscribeUrl: url }), headers: listHeaders(config, url) };
    }),
  );
}
