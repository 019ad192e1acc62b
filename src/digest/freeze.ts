/**
 * The freeze: every cron run, for each edition that may still be sent, the readers whose morning
 * has come since the last run are fixed as its recipients, each with the rendering their choices
 * select, into chunks of at most 100 that the queue then sends. Runs in the queue consumer (its cost
 * grows with the list; the cron only asks for it).
 *
 * - Who is due: the readers of the edition's cadence in every zone and hour whose slot (`schedule.ts`)
 *   lies between the last freeze and now, one indexed query per delivery hour; plus readers who moved
 *   their morning since the edition was built and whose new slot has passed, so nobody is skipped.
 * - When it is done: once the latest slot of a zone and hour that has such readers is frozen; the
 *   mornings of zones nobody of its cadence reads in any more do not keep it going out.
 * - Never twice: each frozen reader gets a `deliveries` row keyed by edition and reader in the same
 *   atomic batch as their chunk. A second freeze of the same reader, from a racing run, a redelivered
 *   message or a reader who moved their morning into a later slot, fails that batch as a whole.
 * - Never stale: after `sendableUntil` the readers it would still have reached are counted as
 *   missed, with one log line, and the edition closes.
 */
import type { Config } from "../config";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Paper } from "../papers/paper";
import type { Cadence } from "../subscribers/preferences";
import { sendableUntil } from "./editions";
import { type DigestJob, queueChunks } from "./jobs";
import { insertChunksStatement } from "./ledger";
import { type Member, mayBeFrozen } from "./recipients";
import { ensureRenderings, renderingKey, selectPapers } from "./renderings";
import { quarterHourOf, slotFor, slotsDue, type ZoneHour } from "./schedule";
import { settleDigest } from "./settle";
import { type Digest, expireDigest, findDigest, frozenStatement } from "./store";

export interface FreezeDeps {
  db: D1Database;
  clock: Clock;
  config: Config;
  queue: Queue<DigestJob>;
  log: Logger;
}

/** Recipients per chunk: one Resend batch call takes at most 100 emails. */
const CHUNK_SIZE = 100;
/** Chunks written per atomic batch: a freeze of 100,000 readers is twenty batches, each a few statements. */
const CHUNKS_PER_BATCH = 50;
const SENDABLE: readonly string[] = ["ready", "sending", "sent", "sent_with_failures"];

export type FreezeOutcome =
  | { kind: "frozen"; edition: string; slot: number; recipients: number; unmatched: number; chunks: number; renders: number }
  | { kind: "closed"; edition: string; missed: number }
  | { kind: "not_sendable"; edition: string };

interface DueReader {
  id: number;
  size: number;
  topics: string[];
}

/**
 * Freezes the readers of `edition` whose slot has come by `at`, the instant the cron ran for (a
 * message that waited in the queue freezes what its run was meant to; later slots are later runs').
 */
export async function freezeDueReaders(deps: FreezeDeps, edition: string, at: number = deps.clock.now()): Promise<FreezeOutcome> {
  const digest = await findDigest(deps.db, edition);
  if (!digest || digest.readyAt === null || !SENDABLE.includes(digest.status)) return { kind: "not_sendable", edition };
  // Closed: its last freeze counted whoever it missed (or it went out before editions existed).
  if ((digest.frozenThrough ?? 0) >= sendableUntil(edition)) return { kind: "not_sendable", edition };
  const now = deps.clock.now();
  const closing = at >= sendableUntil(edition);
  const through = closing ? Number.MAX_SAFE_INTEGER : quarterHourOf(at);
  const confirmedBy = Math.max(now, at);
  const groups = await deliveryGroups(deps.db, digest.cadence, confirmedBy);
  const lastSlot = Math.max(0, ...groups.map((group) => slotFor(edition, group.zone, group.hour)));
  const due = await dueReaders(deps.db, digest as Digest & { readyAt: number }, groups, through, confirmedBy);

  if (closing) return close(deps, digest, due.length, lastSlot, now);

  const lists = new Map<string, DueReader[]>();
  const papersOf = new Map<string, Paper[]>();
  let unmatched: DueReader[] = [];
  // One selection per distinct choice, however many readers made it.
  const bySelection = Map.groupBy(due, (reader) => `${reader.size}|${reader.topics.join("\n")}`);
  for (const readers of bySelection.values()) {
    const papers = selectPapers(digest.papers, readers[0]!);
    if (papers.length === 0) {
      unmatched = unmatched.concat(readers);
      continue;
    }
    const key = await renderingKey(papers);
    papersOf.set(key, papers);
    lists.set(key, [...(lists.get(key) ?? []), ...readers]);
  }
  const renders = await ensureRenderings(deps, digest, papersOf);

  const members: Member[] = [...lists].flatMap(([key, readers]) => readers.map((reader): Member => [reader.id, key, reader.topics]));
  members.sort((a, b) => a[0] - b[0]);
  const chunks: Member[][] = [];
  for (let start = 0; start < members.length; start += CHUNK_SIZE) chunks.push(members.slice(start, start + CHUNK_SIZE));
  await writeFreeze(deps, digest, { chunks, unmatched: unmatched.map((reader) => reader.id), through, lastSlot }, now);
  await settleDigest(deps, edition, now);
  const outcome = { kind: "frozen" as const, edition, slot: through, recipients: members.length, unmatched: unmatched.length, chunks: chunks.length, renders };
  if (due.length > 0) deps.log.info("slot frozen", { ...outcome, slot: new Date(through).toISOString() });
  return outcome;
}

/**
 * The zones and hours where a reader of `cadence` may be frozen now. The database keeps every zone
 * and hour a reader has ever had (migration 0006); one whose readers all left, moved or read the
 * other cadence must not hold the edition open until its morning. One index seek per group.
 */
async function deliveryGroups(db: D1Database, cadence: Cadence, confirmedBy: number): Promise<ZoneHour[]> {
  const { results } = await db
    .prepare(
      `SELECT timezone, delivery_hour FROM delivery_groups AS grp
       WHERE EXISTS (SELECT 1 FROM subscribers
                     WHERE ${mayBeFrozen("?2")} AND cadence = ?1 AND delivery_hour = grp.delivery_hour AND timezone = grp.timezone)`,
    )
    .bind(cadence, confirmedBy)
    .all<{ timezone: string; delivery_hour: number }>();
  return results.map((row) => ({ zone: row.timezone, hour: row.delivery_hour }));
}

interface ReaderRow {
  id: number;
  digest_size: number;
  topics: string;
  timezone: string;
  delivery_hour: number;
}

/** Readers due by `through` who have not been frozen for the edition yet, each once. */
async function dueReaders(db: D1Database, digest: Digest & { readyAt: number }, groups: ZoneHour[], through: number, now: number): Promise<DueReader[]> {
  const window = { after: digest.frozenThrough, through };
  const zonesByHour = Map.groupBy(slotsDue(digest.edition, groups, window), (group) => group.hour);
  const notYetFrozen = "NOT EXISTS (SELECT 1 FROM deliveries WHERE edition = ?1 AND subscriber_id = subscribers.id)";
  const columns = "id, digest_size, topics, timezone, delivery_hour";
  const statements = [...zonesByHour].map(([hour, due]) =>
    db
      .prepare(
        `SELECT ${columns} FROM subscribers
         WHERE ${mayBeFrozen("?3")} AND cadence = ?2 AND delivery_hour = ?4 AND timezone IN (SELECT value FROM json_each(?5)) AND ${notYetFrozen}`,
      )
      .bind(digest.edition, digest.cadence satisfies Cadence, now, hour, JSON.stringify(due.map((group) => group.zone))),
  );
  // Readers who moved their morning after the edition was built: their new slot may have passed.
  // Named index: without it SQLite prefers the (status, cadence) equalities of subscribers_by_slot
  // and reads every active reader of the cadence on each run (measured: 100k rows per run at 100k).
  statements.push(
    db
      .prepare(`SELECT ${columns} FROM subscribers INDEXED BY subscribers_by_schedule_change WHERE schedule_changed_at > ?4 AND ${mayBeFrozen("?3")} AND cadence = ?2 AND ${notYetFrozen}`)
      .bind(digest.edition, digest.cadence, now, digest.readyAt),
  );
  const answers = await db.batch<ReaderRow>(statements);
  const moved = (answers.pop()?.results ?? []).filter((row) => slotFor(digest.edition, row.timezone, row.delivery_hour) <= through);
  const readers = new Map<number, DueReader>();
  for (const row of [...answers.flatMap((answer) => answer.results), ...moved])
    readers.set(row.id, { id: row.id, size: row.digest_size, topics: JSON.parse(row.topics) as string[] });
  return [...readers.values()];
}

/**
 * Writes the chunks, the readers' deliveries (unmatched readers' with no chunk) and the edition's
 * tally in atomic parts, then queues each part's chunks. A part that fails (a racing freeze took
 * some of its readers or chunk numbers) changes nothing; the next run freezes whoever is left.
 */
async function writeFreeze(
  deps: FreezeDeps,
  digest: Digest,
  frozen: { chunks: Member[][]; unmatched: number[]; through: number; lastSlot: number },
  now: number,
): Promise<void> {
  const parts = Math.max(1, Math.ceil(frozen.chunks.length / CHUNKS_PER_BATCH));
  for (let part = 0; part < parts; part++) {
    const first = digest.chunkCount + part * CHUNKS_PER_BATCH;
    const chunks = frozen.chunks.slice(part * CHUNKS_PER_BATCH, (part + 1) * CHUNKS_PER_BATCH);
    const last = part === parts - 1;
    const deliveries = [
      ...chunks.flatMap((members, offset) => members.map(([id]) => [id, first + offset])),
      ...(last ? frozen.unmatched.map((id) => [id, null]) : []),
    ];
    const tally = {
      chunks: chunks.length,
      recipients: chunks.reduce((sum, members) => sum + members.length, 0),
      unmatched: last ? frozen.unmatched.length : 0,
      missed: 0,
      // The slots count as done only once every part is written.
      through: last ? frozen.through : (digest.frozenThrough ?? 0),
      lastSlot: frozen.lastSlot,
    };
    try {
      await deps.db.batch([
        ...(chunks.length > 0 ? [insertChunksStatement(deps.db, digest.edition, frozen.through, first, chunks, now)] : []),
        ...(deliveries.length > 0 ? [deliveriesStatement(deps.db, digest.edition, deliveries)] : []),
        frozenStatement(deps.db, digest.edition, tally, now),
      ]);
    } catch (error) {
      // Another freeze of this edition (a doubled cron, a redelivered message) got there first and
      // holds these readers or chunk numbers; whoever neither took is frozen by the next run.
      if (!/constraint failed/i.test(String(error))) throw error;
      deps.log.info("freeze gave way to another", { edition: digest.edition, part, error: String(error).slice(0, 200) });
      return;
    }
    await queueChunks(deps.queue, digest.edition, chunks.map((_, offset) => first + offset));
  }
}

/** A plain INSERT: a reader frozen for this edition before makes it, and its whole batch, fail. */
function deliveriesStatement(db: D1Database, edition: string, deliveries: (number | null)[][]): D1PreparedStatement {
  return db
    .prepare("INSERT INTO deliveries (edition, subscriber_id, chunk) SELECT ?1, value ->> 0, value ->> 1 FROM json_each(?2)")
    .bind(edition, JSON.stringify(deliveries));
}

/** Past its window: whoever it would still have reached is counted, not sent; an edition never frozen is skipped. */
async function close(deps: FreezeDeps, digest: Digest, missed: number, lastSlot: number, now: number): Promise<FreezeOutcome> {
  const edition = digest.edition;
  if (missed > 0) deps.log.warn("edition closed, readers missed it", { edition, missed, reason: "their morning came over two days after its period" });
  if (digest.status === "ready") {
    await expireDigest(deps.db, edition, `every reader's morning passed before it could be sent (${missed} missed)`, missed, now);
    return { kind: "closed", edition, missed };
  }
  const tally = { chunks: 0, recipients: 0, unmatched: 0, missed, through: Number.MAX_SAFE_INTEGER, lastSlot };
  await deps.db.batch([frozenStatement(deps.db, edition, tally, now)]);
  await settleDigest(deps, edition, now);
  return { kind: "closed", edition, missed };
}
