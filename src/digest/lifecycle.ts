/**
 * An edition's state machine, as pure data: every status change in `digest/store.ts` is guarded
 * by `statusesAllowing`, so what may happen to an edition is written down exactly once.
 *
 * - waiting: the papers source was down; a later cron run tries again until the deadline
 * - ready: built, its papers ranked; nobody's morning has come yet
 * - sending: readers are being frozen slot by slot as their mornings come, and their chunks sent
 * - sent: every reader's morning has come and every chunk went out; sent_with_failures: the same,
 *   but some chunks failed or their outcome is unknown (the ledger says which; the cron's sweep
 *   retries transient failures for a while)
 * - skipped: nothing to send
 */
const DIGEST_STATUSES = ["waiting", "ready", "sending", "sent", "sent_with_failures", "skipped"] as const;
export type DigestStatus = (typeof DIGEST_STATUSES)[number];

export type DigestEvent =
  /** The source was down: try again later. */
  | "source_down"
  /** No papers, every paper sent before, or the source stayed down past the deadline. */
  | "skip"
  /** Built: its papers ranked and stored, with the instant it became ready. */
  | "store"
  /** A slot's readers were frozen into chunks (a settled edition takes a late reader's chunk too). */
  | "freeze"
  /** No chunk is pending or sending any more (again, after an operator settled an unknown chunk). */
  | "finish"
  /** Failed or unknown chunks were re-opened, by an operator or by the sweep's bounded retry. */
  | "reopen"
  /** Never frozen while it could be sent: every reader's morning passed (the cron did not run). */
  | "expire";

/** From which statuses each event may move a digest, and where to. A missing row may take source_down, skip and store. */
const TRANSITIONS: Record<DigestEvent, Partial<Record<DigestStatus, DigestStatus[]>>> = {
  source_down: { waiting: ["waiting"], skipped: ["waiting"] },
  skip: { waiting: ["skipped"], skipped: ["skipped"] },
  store: { waiting: ["ready"], skipped: ["ready"] },
  freeze: { ready: ["sending"], sending: ["sending"], sent: ["sending"], sent_with_failures: ["sending"] },
  finish: { sending: ["sent", "sent_with_failures"], sent_with_failures: ["sent", "sent_with_failures"] },
  reopen: { sent_with_failures: ["sending"] },
  expire: { ready: ["skipped"] },
};

/** Which statuses an event may start from: the guard of its conditional update. */
export function statusesAllowing(event: DigestEvent): DigestStatus[] {
  return Object.keys(TRANSITIONS[event]) as DigestStatus[];
}

/**
 * Whether a build for a date in `status` fetches and ranks papers again: a day still waiting
 * for its source does; a skipped one only when an operator forces it; anything further along never.
 */
export function needsBuild(status: DigestStatus | null, force: boolean): boolean {
  return status === null || status === "waiting" || (status === "skipped" && force);
}

/** An edition whose chunks may still be unfinished: re-queueing them is how it is re-driven. */
export function mayHaveUnsentChunks(status: DigestStatus | null): boolean {
  return status === "ready" || status === "sending";
}

/** Public (archive, web page, feed) once it is going out; earlier states may still change. */
export const PUBLISHED_STATUSES: readonly DigestStatus[] = ["sending", "sent", "sent_with_failures"];
