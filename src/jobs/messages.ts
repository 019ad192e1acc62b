import * as v from "valibot";
import type { DigestJob } from "../digest/jobs";
import { CONFIRMATIONS_PER_MESSAGE, type ConfirmationJob } from "../subscribers/confirmations";
import type { MailJob } from "../subscribers/outbox-sender";

/** Everything that travels on the queue: small pointers into D1, never the mail itself. */
export type Job = DigestJob | ConfirmationJob | MailJob;

export type JobQueue = Queue<Job>;

const chunkNumber = v.pipe(v.number(), v.integer(), v.minValue(0));

const JobSchema = v.variant("kind", [
  v.object({ kind: v.literal("freeze"), edition: v.string(), at: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  v.object({ kind: v.literal("chunk"), edition: v.string(), chunk: chunkNumber }),
  // Messages written before editions, still on the queue while a new version deploys.
  v.pipe(
    v.object({ kind: v.literal("fanout"), date: v.string() }),
    // The fan-out of a digest built before editions: its readers are due now.
    v.transform(({ date }): DigestJob => ({ kind: "freeze", edition: date, at: Date.now() })),
  ),
  v.pipe(
    v.object({ kind: v.literal("chunk"), date: v.string(), chunk: chunkNumber }),
    v.transform(({ date, chunk }): DigestJob => ({ kind: "chunk", edition: date, chunk })),
  ),
  v.object({
    kind: v.literal("confirm"),
    subscriberIds: v.pipe(v.array(v.pipe(v.number(), v.integer())), v.maxLength(CONFIRMATIONS_PER_MESSAGE)),
  }),
  v.object({ kind: v.literal("mail") }),
]);

/** The job a message carries, or null for a body this version does not understand. */
export function parseJob(body: unknown): Job | null {
  const result = v.safeParse(JobSchema, body);
  return result.success ? result.output : null;
}
