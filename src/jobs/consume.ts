import { type FreezeDeps, freezeDueReaders } from "../digest/freeze";
import { type SendChunkDeps, sendChunk } from "../digest/send-chunk";
import { writeQueuedConfirmations } from "../subscribers/confirmations";
import type { Job, JobQueue } from "./messages";
import { parseJob } from "./messages";
import { type MailSenderDeps, runMailSender } from "./send-mail";

/** What the jobs need: the entry point passes the run's `Services`. */
type JobDeps = FreezeDeps & SendChunkDeps & MailSenderDeps & { queue: JobQueue };

/** What a batch held and how it went: the detail of its record in `runs`. */
export interface QueueReport {
  messages: number;
  /** Messages per job kind; `unknown`: bodies this version does not understand (dropped). */
  byKind: Partial<Record<Job["kind"] | "unknown", number>>;
  /** Messages handed back to the queue for a later attempt. */
  retried: number;
}

/**
 * The queue's consumer: freeze messages fix the readers whose morning has come into chunks, chunk
 * messages send them, mail messages send the outbox, confirmation messages write imported
 * subscribers' confirmations into it. Each message is acked or retried on its own; an exception retries it with backoff
 * (the ledgers make a retry safe), never silently drops it.
 */
export async function consumeJobs(batch: MessageBatch<unknown>, services: JobDeps): Promise<QueueReport> {
  const report: QueueReport = { messages: batch.messages.length, byKind: {}, retried: 0 };
  for (const message of batch.messages) {
    const job = parseJob(message.body);
    const kind = job?.kind ?? "unknown";
    report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
    if (!job) {
      services.log.error("unknown queue message dropped", { body: JSON.stringify(message.body).slice(0, 200) });
      message.ack();
      continue;
    }
    try {
      if (job.kind === "freeze") {
        await freezeDueReaders(services, job.edition, job.at);
        message.ack();
      } else if (job.kind === "confirm") {
        // A retry skips those already written: their claim in D1 holds for 10 minutes.
        await writeQueuedConfirmations(services, job.subscriberIds);
        message.ack();
      } else if (job.kind === "mail") {
        await runMailSender(services);
        message.ack();
      } else {
        const outcome = await sendChunk(services, job.edition, job.chunk);
        if (outcome.kind === "retry") {
          message.retry({ delaySeconds: outcome.delaySeconds });
          report.retried += 1;
        } else message.ack();
      }
    } catch (error) {
      const delaySeconds = Math.min(300, 2 ** Math.min(message.attempts, 8));
      services.log.error("queue message failed, will retry", { body: job, attempt: message.attempts, error: String(error) });
      message.retry({ delaySeconds });
      report.retried += 1;
    }
  }
  return report;
}
