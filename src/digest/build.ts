import type { Config } from "../config";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { recordPapersAnswer } from "../papers/answers";
import type { Paper } from "../papers/paper";
import { rankPapers } from "../papers/rank";
import { samplePapers } from "../papers/sample-papers";
import type { PapersSource } from "../papers/source";
import type { RenderedEmail } from "../presentation/render-email";
import { digestSubject } from "../presentation/digest-view";
import { buildDeadline } from "./editions";
import { type DigestJob, queueChunks } from "./jobs";
import { unfinishedChunkNumbers } from "./ledger-repair";
import { type DigestStatus, mayHaveUnsentChunks, needsBuild } from "./lifecycle";
import { renderDigest } from "./render";
import { findDigest, findOfferedPaperIds, recordSkipped, recordWaiting, storeReadyDigest } from "./store";

export interface BuildDeps {
  db: D1Database;
  clock: Clock;
  config: Config;
  papers: PapersSource;
  queue: Queue<DigestJob>;
  log: Logger;
}

/** Papers an edition keeps, in rank order: the day's or week's list, which readers' topics and sizes select from. */
const CANDIDATES = 100;

export type BuildOutcome =
  | { kind: "ready"; edition: string; papers: number; sample: boolean }
  | { kind: "unchanged"; edition: string; status: DigestStatus }
  /** Its freeze and its unfinished chunks were queued again. */
  | { kind: "redriven"; edition: string; status: DigestStatus; unfinishedChunks: number }
  | { kind: "waiting"; edition: string; attempts: number; error: string }
  | { kind: "skipped"; edition: string; reason: string };

/**
 * Builds an edition: fetches its day's or week's papers, ranks them and stores them, ready from
 * now; each reader gets it at their next morning (`freeze.ts`). Safe to run any number of times:
 * an edition that is ready, sending or sent is left alone, and a skipped one is rebuilt only when
 * `force`d. A ready or sending one is re-driven: its freeze and its unfinished chunks are queued
 * again (a run may have died before queueing, a message may have run out of retries); the
 * ledger makes the duplicates harmless.
 */
export async function buildDigest(deps: BuildDeps, edition: string, options: { force?: boolean } = {}): Promise<BuildOutcome> {
  const existing = await findDigest(deps.db, edition);
  if (existing && mayHaveUnsentChunks(existing.status)) {
    const unfinished = await unfinishedChunkNumbers(deps.db, edition);
    await deps.queue.send({ kind: "freeze", edition, at: deps.clock.now() });
    await queueChunks(deps.queue, edition, unfinished);
    deps.log.info("digest re-driven", { edition, status: existing.status, unfinishedChunks: unfinished.length });
    return { kind: "redriven", edition, status: existing.status, unfinishedChunks: unfinished.length };
  }
  if (existing && !needsBuild(existing.status, options.force ?? false)) return { kind: "unchanged", edition, status: existing.status };

  const source = await loadPapers(deps, edition);
  if (source.kind !== "papers") return source;
  const { attempts } = source;

  const ranked = await pickPapers(deps, edition, source.papers, source.sample, CANDIDATES);
  const now = deps.clock.now();
  if (ranked.length === 0) {
    const reason = source.papers.length === 0 ? "no papers listed for this period" : "every paper was in an earlier edition";
    await recordSkipped(deps.db, edition, reason, now, attempts);
    deps.log.info("digest skipped", { edition, reason });
    return { kind: "skipped", edition, reason };
  }

  const subject = digestSubject({ edition, topTitle: ranked[0]!.title, sample: source.sample });
  const stored = await storeReadyDigest(deps.db, { edition, subject, papers: ranked, sample: source.sample, sourceAttempts: attempts }, now);
  if (!stored) {
    const current = await findDigest(deps.db, edition);
    return { kind: "unchanged", edition, status: current?.status ?? "ready" };
  }
  // Readers whose morning has come already (the build ran late) are frozen at once.
  await deps.queue.send({ kind: "freeze", edition, at: now });
  deps.log.info("digest ready", { edition, papers: ranked.length, sample: source.sample });
  return { kind: "ready", edition, papers: ranked.length, sample: source.sample };
}

type PaperSource =
  | { kind: "papers"; papers: Paper[]; sample: boolean; attempts: number }
  | Extract<BuildOutcome, { kind: "waiting" | "skipped" }>;

/** The period's papers; while the source is down, `waiting` until the deadline (even when forced), then `skipped`. */
async function loadPapers(deps: BuildDeps, edition: string): Promise<PaperSource> {
  const source = await gatherPapers(deps, edition);
  if (source.ok) return { kind: "papers", papers: source.papers, sample: source.sample, attempts: source.attempts };
  const now = deps.clock.now();
  if (now >= buildDeadline(edition, deps.config.digest.deadlineHour)) {
    const reason = `papers source unavailable until the deadline (${source.error})`;
    await recordSkipped(deps.db, edition, reason, now, source.attempts);
    deps.log.error("digest skipped", { edition, reason });
    return { kind: "skipped", edition, reason };
  }
  const attempts = await recordWaiting(deps.db, edition, source.error, now, source.attempts);
  deps.log.warn("papers source unavailable, will retry", { edition, attempts, error: source.error });
  return { kind: "waiting", edition, attempts, error: source.error };
}

/** `attempts`: the requests made to the source, retries included. */
type Gathered = ({ ok: true; papers: Paper[]; sample: boolean } | { ok: false; error: string }) & { attempts: number };

/** A preview someone is waiting for asks once, briefly: an operator would rather hear "down" at once than after 7 s of retries. */
const PREVIEW_FETCH = { maxAttempts: 1, timeoutMs: 5_000 } as const;

/**
 * The period's papers from Hugging Face; in local development only, the bundled sample when it is
 * unreachable. Every answer is kept as the source's last one, for the operator's health panel.
 */
async function gatherPapers(deps: Pick<BuildDeps, "db" | "clock" | "papers" | "config" | "log">, edition: string, options?: typeof PREVIEW_FETCH): Promise<Gathered> {
  const result = await deps.papers.fetchPeriod(edition, options);
  await recordPapersAnswer(deps, result, deps.clock.now());
  const { attempts } = result;
  if (result.ok) return { ok: true, papers: result.papers, sample: false, attempts };
  const error = `${result.reason}: ${result.detail}`;
  // Production never sends made-up news.
  if (deps.config.environment !== "development") return { ok: false, error, attempts };
  // Offline on purpose (PAPERS_SOURCE="sample", nothing was asked): nothing went wrong, and `npm start` said so once.
  const log = attempts === 0 ? deps.log.info : deps.log.warn;
  log("papers source unreachable, using bundled sample papers", { edition, error });
  return { ok: true, papers: samplePapers(), sample: true, attempts };
}

async function pickPapers(deps: Pick<BuildDeps, "db">, edition: string, papers: Paper[], sample: boolean, size: number): Promise<Paper[]> {
  const exclude = sample ? new Set<string>() : await findOfferedPaperIds(deps.db, papers.map((p) => p.id), edition);
  return rankPapers(papers, { size, exclude });
}

export type PreviewOutcome =
  | { kind: "preview"; email: RenderedEmail; papers: Paper[]; sample: boolean; stored: boolean }
  | { kind: "empty"; reason: string }
  | { kind: "unavailable"; error: string };

/**
 * A dry run: the edition's email as a reader with the default choices (every topic, `DIGEST_SIZE`
 * papers) gets it, or would, without storing or sending anything.
 */
export async function previewDigest(deps: Pick<BuildDeps, "db" | "clock" | "config" | "papers" | "log">, edition: string): Promise<PreviewOutcome> {
  const existing = await findDigest(deps.db, edition);
  const stored = existing !== null && existing.papers.length > 0;
  const source = stored ? { ok: true as const, papers: existing.papers, sample: existing.sample } : await gatherPapers(deps, edition, PREVIEW_FETCH);
  if (!source.ok) return { kind: "unavailable", error: source.error };
  const size = deps.config.digest.size;
  const papers = stored ? source.papers.slice(0, size) : await pickPapers(deps, edition, source.papers, source.sample, size);
  if (papers.length === 0) return { kind: "empty", reason: "no new papers for this period" };
  const email = await renderDigest({ edition, papers, config: deps.config, sample: source.sample });
  return { kind: "preview", email, papers, sample: source.sample, stored };
}
