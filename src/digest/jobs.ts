/** The digest's queue messages: small pointers into D1, never the mail itself. */
export type DigestJob =
  /** Freeze the readers whose slot has come by `at`: the instant the cron ran for (ms). */
  | { kind: "freeze"; edition: string; at: number }
  | { kind: "chunk"; edition: string; chunk: number };

/** Queue.sendBatch takes at most 100 messages. */
const QUEUE_BATCH = 100;

/** Queues one message per chunk number. */
export async function queueChunks(queue: Queue<DigestJob>, edition: string, chunks: number[]): Promise<void> {
  for (let start = 0; start < chunks.length; start += QUEUE_BATCH)
    await queue.sendBatch(chunks.slice(start, start + QUEUE_BATCH).map((chunk) => ({ body: { kind: "chunk", edition, chunk } })));
}
