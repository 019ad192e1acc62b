import type { Config } from "../config";
import { chunkInFlight } from "../digest/ledger";
import { LEASE } from "../delivery/lease";
import { claimRole, releaseRole, renewRole } from "../delivery/roles";
import { hasWaitingMail } from "../subscribers/outbox";
import { type MailJob, OUTBOX_SENDER_ROLE, type OutboxDeps, sendWaitingMail } from "../subscribers/outbox-sender";

/** Batches one sender may send before it hands the role on (a queue invocation stays short). */
const BATCHES_PER_RUN = 50;

export type MailSenderDeps = OutboxDeps & { config: Config; queue: Queue<MailJob> };

/**
 * "Mail is waiting": one consumer at a time sends the outbox, batch after batch, each batch
 * taking whatever waits when its slot comes (so a burst of sign-ups becomes a few full batches).
 * While a digest chunk is being sent, its sender carries waiting mail at its own slots, so the
 * outbox does not compete with it for the rate budget.
 */
export async function runMailSender(deps: MailSenderDeps): Promise<void> {
  const holder = crypto.randomUUID();
  if (await chunkInFlight(deps.db, deps.clock.now())) return;
  if (!(await claimRole(deps.db, OUTBOX_SENDER_ROLE, holder, deps.clock.now(), LEASE.durationMs))) return;
  let backOffSeconds = 0;
  try {
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const run = await sendWaitingMail(deps);
      await renewRole(deps.db, OUTBOX_SENDER_ROLE, holder, deps.clock.now(), LEASE.durationMs);
      if (run === "idle") break;
      if (run !== "sent") {
        backOffSeconds = run.backOffSeconds;
        break;
      }
    }
  } finally {
    await releaseRole(deps.db, OUTBOX_SENDER_ROLE, holder);
  }
  // Mail that arrived while this sender held the role had its signal acked: pass the work on.
  if (backOffSeconds > 0 || (await hasWaitingMail(deps.db))) await deps.queue.send({ kind: "mail" }, { delaySeconds: backOffSeconds });
}
