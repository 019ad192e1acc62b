/** Cloudflare Queues' delivery, played by the test: at-least-once, in batches, with retries and their delays. */
import { consumeJobs } from "../../../src/jobs/consume";
import type { QueuedMessage, TestServices } from "./services";

export interface DrainOptions {
  /** How many copies of a message's first delivery to hand out at once (at-least-once delivery). */
  copies?: (message: QueuedMessage) => number;
  /** Messages per consumer invocation, like `max_batch_size`. */
  batchSize?: number;
  /** Deliver only these; the others stay queued. */
  only?: (message: QueuedMessage) => boolean;
  /** Stop quietly after this many rounds, leaving retried messages queued. */
  rounds?: number;
  /** Fail when the queue is not empty after this many rounds. */
  maxRounds?: number;
}

export interface DrainStats {
  rounds: number;
  deliveries: number;
  retries: number;
}

/**
 * Delivers `deps.queue` the way Cloudflare Queues would until it is empty: every round hands all
 * waiting messages to `consumeJobs` in concurrent batches (copies of one message land in
 * different batches), puts retried and unacked messages back with one more attempt, and moves the
 * clock on by the longest delay asked for.
 */
export async function drainQueue(deps: TestServices, options: DrainOptions = {}): Promise<DrainStats> {
  const { copies = () => 1, batchSize = 10, maxRounds = 200, only = () => true, rounds = Infinity } = options;
  const queue = deps.queue;
  const stats: DrainStats = { rounds: 0, deliveries: 0, retries: 0 };
  for (;;) {
    const due = queue.pending.filter(only);
    if (due.length === 0 || stats.rounds >= rounds) return stats;
    if (stats.rounds++ >= maxRounds) throw new Error(`queue not drained after ${maxRounds} rounds: ${JSON.stringify(due.slice(0, 5))}`);
    queue.pending = queue.pending.filter((message) => !due.includes(message));
    deps.clock.advance(Math.max(...due.map((message) => message.delaySeconds)) * 1000);
    const copiesOf = due.map((message) => (message.attempts === 1 ? copies(message) : 1));
    const deliveries = Array.from({ length: Math.max(...copiesOf) }, (_, copy) => due.filter((_, index) => copy < copiesOf[index]!)).flat();
    stats.deliveries += deliveries.length;
    const batches: QueuedMessage[][] = [];
    for (let start = 0; start < deliveries.length; start += batchSize) batches.push(deliveries.slice(start, start + batchSize));
    await Promise.all(
      batches.map(async (messages) => {
        const { batch, outcomes } = messageBatch(messages);
        await consumeJobs(batch, deps);
        messages.forEach((message, index) => {
          const outcome = outcomes[index]!;
          if (outcome.acked && !outcome.retried) return;
          stats.retries += 1;
          queue.pending.push({ ...message, attempts: message.attempts + 1, delaySeconds: outcome.delaySeconds ?? 0 });
        });
      }),
    );
  }
}

interface Outcome {
  acked: boolean;
  retried: boolean;
  delaySeconds?: number;
}

function messageBatch(messages: QueuedMessage[]): { batch: MessageBatch<unknown>; outcomes: Outcome[] } {
  const outcomes: Outcome[] = messages.map(() => ({ acked: false, retried: false }));
  const batch: MessageBatch<unknown> = {
    queue: "paperboy-digest",
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    messages: messages.map((message, index) => ({
      id: message.id,
      timestamp: new Date(),
      body: structuredClone(message.body),
      attempts: message.attempts,
      ack: () => {
        outcomes[index]!.acked = true;
      },
      retry: (options?: QueueRetryOptions) => {
        outcomes[index] = { acked: false, retried: true, delaySeconds: options?.delaySeconds };
      },
    })),
    ackAll: () => outcomes.forEach((outcome) => (outcome.acked = true)),
    retryAll: (options?: QueueRetryOptions) =>
      outcomes.forEach((_, index) => (outcomes[index] = { acked: false, retried: true, delaySeconds: options?.delaySeconds })),
  };
  return { batch, outcomes };
}
