import type { Config } from "../config";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Paper } from "../papers/paper";
import { rankPapers } from "../papers/rank";
import { samplePapers } from "../papers/sample-papers";
import type { PapersSource } from "../papers/source";
import type { RenderedEmail } from "../presentation/render-email";
import { deadlineFor } from "./dates";
import type { DigestJob } from "./jobs";
import { unfinishedChunkNumbers } from "./ledger";
import { type DigestStatus, mayHaveUnsentChunks, needsBuild } from "./lifecycle";
import { renderDigest } from "./render";
import { findDigest, findSentPaperIds, recordSkipped, recordWaiting, storeReadyDigest } from "./store";

export interface BuildDeps {
  db: D1Database;
  clock: Clock;
  config: Config;
  papers: PapersSource;
  queue: Queue<DigestJob>;
  log: Logger;
}

export type BuildOutcome =
  | { kind: "queued"; date: string; papers: number; sample: boolean }
  | { kind: "unchanged"; date: string; status: DigestStatus }
  /** Its fan-out was queued again, which re-queues the chunks not yet sent (none known while still `ready`). */
  | { kind: "redriven"; date: string; status: DigestStatus; unfinishedChunks: number }
  | { kind: "waiting"; date: string; attempts: number; error: string }
  | { kind: "skipped"; date: string; reason: string };

/**
 * Builds the digest for `date` and hands it to the queue. Safe to run any number of times:
 * a date that is ready, sending or sent is left alone, and a skipped one is rebuilt only when
 * `force`d. A ready or sending one gets its fan-out queued again, which re-queues its unfinished
 * chunks: the previous run may have died before enqueueing, or a chunk's message may have run
 * out of retries. The ledger makes the duplicates harmless.
 */
export async function buildDigest(deps: BuildDeps, date: string, options: { force?: boolean } = {}): Promise<BuildOutcome> {
  const existing = await findDigest(deps.db, date);
  if (existing && mayHaveUnsentChunks(existing.status)) {
    await deps.queue.send({ kind: "fanout", date });
    const unfinishedChunks = (await unfinishedChunkNumbers(deps.db, date)).length;
    deps.log.info("digest re-driven", { date, status: existing.status, unfinishedChunks });
    return { kind: "redriven", date, status: existing.status, unfinishedChunks };
  }
  if (existing && !needsBuild(existing.status, options.force ?? false)) return { kind: "unchanged", date, status: existing.status };

  const source = await loadPapers(deps, date);
  if (source.kind !== "papers") return source;
  const { attempts } = source;

  const ranked = await pickPapers(deps, date, source.papers, source.sample);
  const now = deps.clock.now();
  if (ranked.length === 0) {
    const reason = source.papers.length === 0 ? "no papers listed for this day" : "every paper was already sent";
    await recordSkipped(deps.db, date, reason, now, attempts);
    deps.log.info("digest skipped", { date, reason });
    return { kind: "skipped", date, reason };
  }

  const rendered = await renderDigest({ date, papers: ranked, config: deps.config, sample: source.sample });
  const stored = await storeReadyDigest(deps.db, { date, ...rendered, papers: ranked, sample: source.sample, sourceAttempts: attempts }, now);
  if (!stored) {
    const current = await findDigest(deps.db, date);
    return { kind: "unchanged", date, status: current?.status ?? "ready" };
  }
  await deps.queue.send({ kind: "fanout", date });
  deps.log.info("digest queued", { date, papers: ranked.length, sample: source.sample });
  return { kind: "queued", date, papers: ranked.length, sample: source.sample };
}

type PaperSource =
  | { kind: "papers"; papers: Paper[]; sample: boolean; attempts: number }
  | Extract<BuildOutcome, { kind: "waiting" | "skipped" }>;

/** The day's papers; while the source is down, `waiting` until the deadline (even when forced), then `skipped`. */
async function loadPapers(deps: BuildDeps, date: string): Promise<PaperSource> {
  const source = await gatherPapers(deps, date);
  if (source.ok) return { kind: "papers", papers: source.papers, sample: source.sample, attempts: source.attempts };
  const now = deps.clock.now();
  if (now >= deadlineFor(date, deps.config.digest.deadlineHour)) {
    const reason = `papers source unavailable until the deadline (${source.error})`;
    await recordSkipped(deps.db, date, reason, now, source.attempts);
    deps.log.error("digest skipped", { date, reason });
    return { kind: "skipped", date, reason };
  }
  const attempts = await recordWaiting(deps.db, date, source.error, now, source.attempts);
  deps.log.warn("papers source unavailable, will retry", { date, attempts, error: source.error });
  return { kind: "waiting", date, attempts, error: source.error };
}

/** `attempts`: the requests made to the source, retries included. */
type Gathered = ({ ok: true; papers: Paper[]; sample: boolean } | { ok: false; error: string }) & { attempts: number };

/** A preview someone is waiting for asks once, briefly: an operator would rather hear "down" at once than after 7 s of retries. */
const PREVIEW_FETCH = { maxAttempts: 1, timeoutMs: 5_000 } as const;

/** The day's papers from Hugging Face; in local development only, the bundled sample when it is unreachable. */
async function gatherPapers(deps: Pick<BuildDeps, "papers" | "config" | "log">, date: string, options?: typeof PREVIEW_FETCH): Promise<Gathered> {
  const result = await deps.papers.fetchDay(date, options);
  const { attempts } = result;
  if (result.ok) return { ok: true, papers: result.papers, sample: false, attempts };
  const error = `${result.reason}: ${result.detail}`;
  // Production never sends made-up news.
  if (deps.config.environment !== "development") return { ok: false, error, attempts };
  // Offline on purpose (PAPERS_SOURCE="sample", nothing was asked): nothing went wrong, and `npm start` said so once.
  const log = attempts === 0 ? deps.log.info : deps.log.warn;
  log("papers source unreachable, using bundled sample papers", { date, error });
  return { ok: true, papers: samplePapers(), sample: true, attempts };
}

async function pickPapers(deps: Pick<BuildDeps, "db" | "config">, date: string, papers: Paper[], sample: boolean): Promise<Paper[]> {
  const exclude = sample ? new Set<string>() : await findSentPaperIds(deps.db, papers.map((p) => p.id), date);
  return rankPapers(papers, { size: deps.config.digest.size, exclude });
}

export type PreviewOutcome =
  | { kind: "preview"; email: RenderedEmail; papers: Paper[]; sample: boolean; stored: boolean }
  | { kind: "empty"; reason: string }
  | { kind: "unavailable"; error: string };

/** A dry run: the digest for `date` as it was or would be sent, without storing or sending anything. */
export async function previewDigest(deps: Pick<BuildDeps, "db" | "config" | "papers" | "log">, date: string): Promise<PreviewOutcome> {
  const existing = await findDigest(deps.db, date);
  if (existing?.html && existing.text && existing.subject) {
    const email = { subject: existing.subject, html: existing.html, text: existing.text };
    return { kind: "preview", email, papers: existing.papers, sample: existing.sample, stored: true };
  }
  const source = await gatherPapers(deps, date, PREVIEW_FETCH);
  if (!source.ok) return { kind: "unavailable", error: source.error };
  const papers = await pickPapers(deps, date, source.papers, source.sample);
  if (papers.length === 0) return { kind: "empty", reason: "no new papers for this day" };
  const email = await renderDigest({ date, papers, config: deps.config, sample: source.sample });
  return { kind: "preview", email, papers, sample: source.sample, stored: false };
}
