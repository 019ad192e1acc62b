import type { DigestDeps } from "../digest/deps";
import { fanOutDigest } from "../digest/fanout";
import { isDigestMessage } from "../digest/messages";
import { sendChunk } from "./send-chunk";
import { shouldSendConfirmation } from "../subscribers/lifecycle";
import { findSubscriberById } from "../subscribers/store";
import { sendConfirmation } from "../subscribers/subscription";

/**
 * The digest queue's consumer: fan-out messages split a digest into chunks, chunk messages
 * send them. Each message is acked or retried on its own; an exception retries it with
 * backoff (the ledger makes a retry safe), never silently drops it.
 */
export async function consumeDigestBatch(batch: MessageBatch<unknown>, deps: DigestDeps): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    if (!isDigestMessage(body)) {
      deps.log({ level: "error", message: "unknown queue message dropped", body: JSON.stringify(body).slice(0, 200) });
      message.ack();
      continue;
    }
    try {
      if (body.kind === "fanout") {
        await fanOutDigest(deps, body.date);
        message.ack();
        continue;
      }
      if (body.kind === "confirm") {
        const failed = await sendConfirmations(deps, body.subscriberIds);
        // Those already sent are skipped on the retry: their claim in D1 holds for 10 minutes.
        if (failed > 0) message.retry({ delaySeconds: Math.min(300, 2 ** Math.min(message.attempts + 2, 8)) });
        else message.ack();
        continue;
      }
      const outcome = await sendChunk(deps, body.date, body.chunk);
      if (outcome.kind === "retry") message.retry({ delaySeconds: outcome.delaySeconds });
      else message.ack();
    } catch (error) {
      const delaySeconds = Math.min(300, 2 ** Math.min(message.attempts, 8));
      deps.log({ level: "error", message: "queue message failed, will retry", body, attempt: message.attempts, error: String(error) });
      message.retry({ delaySeconds });
    }
  }
}

/** Confirmation emails for imported subscribers and deferred sign-ups; returns how many could not be sent. */
async function sendConfirmations(deps: DigestDeps, ids: number[]): Promise<number> {
  let failed = 0;
  for (const id of ids) {
    const subscriber = await findSubscriberById(deps.db, id);
    const now = deps.now();
    // Imported (pending) or deferred from a busy sign-up (pending, or unsubscribed signing up again).
    if (!subscriber || !shouldSendConfirmation(subscriber.status, subscriber.confirmationSentAt, now)) continue;
    const outcome = await sendConfirmation(deps, subscriber, now);
    if (outcome.kind === "mail_failed") failed++;
  }
  return failed;
}
