/**
 * The outbox's sender: one consumer at a time (the role `jobs/send-mail.ts` holds) takes a batch,
 * either one whose sender died or up to 100 waiting mails, renders its payloads once and calls
 * Resend under a lease renewed during the call, until the batch is settled, backing off or given
 * up by the delivery rules; any retry sends the byte-identical payload under the same key. What a
 * mail and a batch may become is `outbox.ts`.
 */
import { afterFailure, describeFailure } from "../delivery/attempts";
import { LEASE, whileLeased } from "../delivery/lease";
import type { Mailer, OutgoingEmail } from "../delivery/mailer";
import type { Reservation, SendSlots } from "../delivery/pacer";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Config } from "../config";
import { renderMail } from "./mail-render";
import {
  type Batch,
  dropEmptyBatch,
  erasedStatement,
  failedStatements,
  formBatch,
  membersOf,
  nextAttempt,
  payloadStatement,
  renewLease,
  settledStatements,
  takeOverStaleBatch,
  unrenderedMails,
} from "./outbox";
import { refusedStatements } from "./store";

/** "Mail is waiting": a signal on the queue; the rows themselves say what to send. */
export type MailJob = { kind: "mail" };

export interface OutboxDeps {
  db: D1Database;
  config: Config;
  clock: Clock;
  mailer: Mailer;
  slots: SendSlots;
  log: Logger;
}

/** The single-flight role of the consumer sending the outbox (see jobs/send-mail.ts). */
export const OUTBOX_SENDER_ROLE = "outbox";

/** After this many calls a batch is given up for an operator to look at. */
const MAX_BATCH_ATTEMPTS = 8;

/**
 * A statement answering one row while the outbox's sender holds its role: a new mail written in
 * the same batch needs no signal then. (A sender looks for waiting mail once more after letting go
 * of the role, so a mail written just as it lets go is not left behind.)
 */
export function senderAtWorkStatement(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare("SELECT 1 AS busy FROM send_roles WHERE name = ? AND lease_until > ?").bind(OUTBOX_SENDER_ROLE, now);
}

/**
 * Tells the queue that mail waits. The rows are written already, so a signal that cannot be sent is
 * logged, not thrown: the sweep (every five minutes) finds the mail, and a reader told "check your
 * inbox" is not shown an error for mail that will arrive.
 */
export async function signalWaitingMail(deps: { queue: Queue<MailJob>; log: Logger }): Promise<void> {
  try {
    await deps.queue.send({ kind: "mail" });
  } catch (error) {
    deps.log.warn("mail signal not sent, the sweep will send the mail", { error: String(error) });
  }
}

export type MailRun = "sent" | "idle" | { backOffSeconds: number };

/**
 * Sends one batch: an interrupted one whose lease ran out, else up to 100 waiting mails. `slot` is
 * a send slot the caller already holds (a digest chunk giving its slot to waiting mail); without
 * one, the batch waits for the next free slot. "idle" when nothing waited (the slot is unused).
 */
export async function sendWaitingMail(deps: OutboxDeps, slot: Reservation | null = null): Promise<MailRun> {
  const batch = (await takeOverStaleBatch(deps.db, deps.clock.now())) ?? (await formBatch(deps.db, deps.clock.now()));
  if (!batch) return "idle";
  await renderPayloads(deps, batch.key, deps.clock.now());
  const members = await membersOf(deps.db, batch.key);
  if (members.length === 0) {
    await dropEmptyBatch(deps.db, batch.key);
    return "idle";
  }
  const owned = { batch };
  const renew = () => renewLease(deps.db, owned.batch, deps.clock.now());
  return whileLeased(renew, LEASE.renewEveryMs, () => callUntilSettled(deps, owned, members, slot));
}

/** Calls Resend for the batch until it is settled, backing off, or lost to another sender; `owned` follows its attempts. */
async function callUntilSettled(
  deps: OutboxDeps,
  owned: { batch: Batch },
  members: { id: number; subscriberId: number; email: OutgoingEmail }[],
  heldSlot: Reservation | null,
): Promise<MailRun> {
  const emails = members.map((member) => member.email);
  let reservation = heldSlot;
  for (let inThisRun = 1; ; inThisRun++) {
    const batch = owned.batch;
    reservation ??= await deps.slots.wait();
    const answer = await deps.mailer.sendBatch(emails, { idempotencyKey: batch.key });
    const { outcome } = answer;
    await deps.slots.record(answer.rateLimit, { rateLimited: !outcome.ok && outcome.failure.kind === "rate_limited", reservation });
    reservation = null;
    const now = deps.clock.now();
    if (outcome.ok) {
      const refused = outcome.refused.map(({ index, message }) => ({ subscriberId: members[index]!.subscriberId, id: members[index]!.id, reason: message }));
      await deps.db.batch([
        ...settledStatements(deps.db, batch, { ids: outcome.ids, refused }, now),
        ...refusedStatements(deps.db, refused, now),
      ]);
      deps.log.info("mail batch sent", { key: batch.key, mails: members.length, refused: refused.length, attempt: batch.attempts });
      return "sent";
    }
    const step = afterFailure(outcome.failure, { number: batch.attempts, inThisRun, max: MAX_BATCH_ATTEMPTS, wasUnknown: batch.outcomeUnknown });
    const error = describeFailure(outcome.failure);
    deps.log.warn("mail batch not sent", { key: batch.key, attempt: batch.attempts, error, next: step.kind });
    if (step.kind === "give_up") {
      await deps.db.batch(failedStatements(deps.db, batch, error, now));
      return "sent";
    }
    const next = await nextAttempt(deps.db, batch, { error, outcomeUnknown: step.outcomeUnknown, now, pauseMs: step.kind === "back_off" ? step.delaySeconds * 1000 : 0 });
    if (!next) return "sent"; // another sender took it over: it is theirs now
    if (step.kind === "back_off") return { backOffSeconds: step.delaySeconds };
    owned.batch = next;
  }
}

/** Renders the mails of a new batch, once (see `payloadStatement`); a mail whose subscriber was erased is dropped. */
async function renderPayloads(deps: Pick<OutboxDeps, "db" | "config">, key: string, now: number): Promise<void> {
  const mails = await unrenderedMails(deps.db, key);
  if (mails.length === 0) return;
  const statements = await Promise.all(
    mails.map(async (mail) =>
      mail.subscriber === null
        ? erasedStatement(deps.db, mail.id, now)
        : payloadStatement(deps.db, mail.id, await renderMail(deps.config, mail.kind, mail.subscriber, mail.createdAt)),
    ),
  );
  await deps.db.batch(statements);
}
