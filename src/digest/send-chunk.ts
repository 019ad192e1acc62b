import type { Config } from "../config";
import { afterFailure, describeFailure } from "../delivery/attempts";
import { LEASE, whileLeased } from "../delivery/lease";
import type { Mailer, OutgoingEmail } from "../delivery/mailer";
import type { Reservation, SendSlots } from "../delivery/pacer";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { topicLabel } from "../papers/topics";
import { digestCopy } from "../presentation/digest-view";
import { personalize, type RenderedEmail } from "../presentation/render-email";
import { listHeaders, preferencesUrl, unsubscribeUrl } from "../subscribers/links";
import { hasWaitingMail } from "../subscribers/outbox";
import { sendWaitingMail } from "../subscribers/outbox-sender";
import { refusedStatements } from "../subscribers/store";
import { cadenceOf } from "./editions";
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
import { type Recipient, recipientsOf } from "./recipients";
import { loadRenderings } from "./renderings";
import { settleDigest } from "./settle";

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
 * Sends one chunk of an edition with one Resend batch call, exactly once:
 * - the ledger claim means only one consumer sends a chunk at a time, and never a sent one; its
 *   short lease is renewed while the call runs, so a dead consumer's chunk is taken over in seconds;
 * - the Idempotency-Key `digest/<edition>/<slot>/<chunk>` means a retry after an unknown outcome (the
 *   consumer died, the connection dropped) is de-duplicated by Resend, because the payload
 *   was written to the ledger before the call and is sent again byte for byte;
 * - after a known failure (429, 5xx answered) the recipients are read again, so someone who
 *   unsubscribed meanwhile is not sent to; the retry takes the next free slot.
 * Transactional mail comes first: when it waits, the chunk gives its slot to it and takes the next.
 */
export async function sendChunk(deps: SendChunkDeps, edition: string, number: number): Promise<ChunkOutcome> {
  const now = deps.clock.now();
  const claimed = await claimChunk(deps.db, edition, number, now, LEASE.durationMs);
  if (!claimed) {
    const current = await findChunk(deps.db, edition, number);
    if (current?.status !== "sending") return { kind: "done" }; // sent or failed: nothing to do
    return { kind: "retry", delaySeconds: Math.max(1, Math.ceil(((current.leaseUntil ?? now) - now) / 1000)) };
  }
  const keys = renderingsOf(claimed);
  const renderings = keys ? await loadRenderings(deps.db, edition, keys) : null;
  const missing = !keys ? "its members are unknown (a chunk from before editions)" : keys.some((key) => !renderings!.has(key)) ? "its rendering is missing" : null;
  if (missing) {
    await markChunkFailed(deps.db, claimed, { error: `not sendable: ${missing}`, outcomeUnknown: claimed.payloadLocked, kind: "permanent" }, now);
    await settleDigest(deps, edition, now);
    return { kind: "done" };
  }
  const owned = { chunk: claimed };
  const renew = () => renewChunkLease(deps.db, owned.chunk, deps.clock.now(), LEASE.durationMs);
  return whileLeased(renew, LEASE.renewEveryMs, () => sendUntilSettled(deps, renderings!, owned));
}

/** The renderings the chunk's next send needs: its locked payload's, or its members'. Null when it has neither. */
function renderingsOf(chunk: Chunk): string[] | null {
  if (chunk.payloadLocked && chunk.recipients) return chunk.recipients.map(([, , , rendering]) => rendering);
  return chunk.members?.map(([, rendering]) => rendering) ?? null;
}

/**
 * The call's Idempotency-Key names the edition, the slot and the chunk. A chunk from before
 * editions (it has no members) keeps the key its locked payload was first sent under.
 */
function idempotencyKey(chunk: Chunk): string {
  if (chunk.members === null) return `digest/${chunk.edition}/${chunk.chunk}`;
  return `digest/${chunk.edition}/${new Date(chunk.slot).toISOString().slice(0, 16)}Z/${chunk.chunk}`;
}

async function sendUntilSettled(deps: SendChunkDeps, renderings: Map<string, RenderedEmail>, owned: { chunk: Chunk }): Promise<ChunkOutcome> {
  for (let inThisRun = 1; ; inThisRun++) {
    const chunk = owned.chunk;
    if (pastIdempotencyWindow(chunk, deps.clock.now())) return leaveForOperator(deps, chunk);
    // A first attempt is prepared before its slot, so the call leaves on time; a retry after a known
    // failure waits for its slot first and then reads the recipients, so whoever left meanwhile is out.
    const rereads = inThisRun > 1 && !chunk.payloadLocked;
    let reservation = rereads ? await slotAfterWaitingMail(deps) : null;
    const recipients = chunk.payloadLocked && chunk.recipients ? chunk.recipients : await recipientsOf(deps.db, chunk.members ?? []);
    if (recipients.length === 0) return settleSent(deps, chunk, recipients, { ids: [], refused: [] });
    const emails = await recipientEmails(deps.config, renderings, recipients, chunk.edition);
    await lockPayload(deps.db, chunk, recipients, deps.clock.now());
    reservation ??= await slotAfterWaitingMail(deps);
    const answer = await deps.mailer.sendBatch(emails, { idempotencyKey: idempotencyKey(chunk) });
    const { outcome } = answer;
    await deps.slots.record(answer.rateLimit, { rateLimited: !outcome.ok && outcome.failure.kind === "rate_limited", reservation });
    if (outcome.ok) return settleSent(deps, chunk, recipients, outcome);

    const now = deps.clock.now();
    const step = afterFailure(outcome.failure, { number: chunk.attempts, inThisRun, max: MAX_CHUNK_ATTEMPTS, wasUnknown: chunk.payloadLocked });
    const failure = { error: describeFailure(outcome.failure), outcomeUnknown: step.outcomeUnknown };
    const context = { edition: chunk.edition, chunk: chunk.chunk, attempt: chunk.attempts, error: failure.error };
    if (step.kind === "give_up") {
      await markChunkFailed(deps.db, chunk, { ...failure, kind: outcome.failure.kind === "rejected" ? "permanent" : "transient" }, now);
      deps.log.error("chunk failed", context);
      await settleDigest(deps, chunk.edition, now);
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
  deps.log.error("chunk outcome unknown, left for an operator", { edition: chunk.edition, chunk: chunk.chunk, since });
  await settleDigest(deps, chunk.edition, now);
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
  deps.log.info("chunk sent", { edition: chunk.edition, chunk: chunk.chunk, recipients: sentCount, refused: refused.length, attempt: chunk.attempts });
  await settleDigest(deps, chunk.edition, now);
  return { kind: "done" };
}

/**
 * Each recipient's email: the rendering frozen for them, with their own unsubscribe and preferences
 * links, their topics, the RFC 8058 and List-Id headers, and the `edition` tag, which Resend echoes
 * in its bounce and complaint events so they count against the edition (`webhooks/`). Everything
 * here follows from the locked recipients and the edition, so a retry sends the same bytes.
 */
export async function recipientEmails(
  config: Config,
  renderings: ReadonlyMap<string, RenderedEmail>,
  recipients: readonly Recipient[],
  edition: string,
): Promise<OutgoingEmail[]> {
  const cadence = cadenceOf(edition) ?? "daily";
  const tags = [{ name: "edition", value: edition }];
  return Promise.all(
    recipients.map(async ([id, email, tokenVersion, rendering, topics]): Promise<OutgoingEmail> => {
      const [unsubscribe, preferences] = await Promise.all([unsubscribeUrl(config, { id, tokenVersion }), preferencesUrl(config, { id, tokenVersion })]);
      const values = { unsubscribeUrl: unsubscribe, preferencesUrl: preferences, topics: digestCopy.topicsText(topics.map(topicLabel)) };
      return { from: config.mailFrom, to: email, ...personalize(renderings.get(rendering)!, values), headers: listHeaders(config, unsubscribe, cadence), tags };
    }),
  );
}
