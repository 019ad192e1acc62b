import type { Paper } from "../papers/paper";

export type DigestStatus = "waiting" | "ready" | "sending" | "sent" | "skipped";

export interface Digest {
  date: string;
  status: DigestStatus;
  subject: string | null;
  papers: Paper[];
  html: string | null;
  text: string | null;
  sample: boolean;
  skipReason: string | null;
  sourceAttempts: number;
  lastError: string | null;
  frozenAt: number | null;
  chunkCount: number;
  recipientCount: number;
  createdAt: number;
  completedAt: number | null;
}

interface DigestRow {
  date: string;
  status: DigestStatus;
  subject: string | null;
  papers: string | null;
  html: string | null;
  text: string | null;
  sample: number;
  skip_reason: string | null;
  source_attempts: number;
  last_error: string | null;
  frozen_at: number | null;
  chunk_count: number;
  recipient_count: number;
  created_at: number;
  completed_at: number | null;
}

function toDigest(row: DigestRow): Digest {
  return {
    date: row.date,
    status: row.status,
    subject: row.subject,
    papers: row.papers ? (JSON.parse(row.papers) as Paper[]) : [],
    html: row.html,
    text: row.text,
    sample: row.sample === 1,
    skipReason: row.skip_reason,
    sourceAttempts: row.source_attempts,
    lastError: row.last_error,
    frozenAt: row.frozen_at,
    chunkCount: row.chunk_count,
    recipientCount: row.recipient_count,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export async function findDigest(db: D1Database, date: string): Promise<Digest | null> {
  const row = await db.prepare("SELECT * FROM digests WHERE date = ?").bind(date).first<DigestRow>();
  return row ? toDigest(row) : null;
}

/** Statuses from which a digest may be (re)built; anything further along is left alone. */
const REBUILDABLE = "('waiting', 'skipped')";

/** Records that the source was down; a later cron run tries again. */
export async function recordWaiting(db: D1Database, date: string, error: string, now: number): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO digests (date, status, source_attempts, last_error, created_at, updated_at)
       VALUES (?1, 'waiting', 1, ?2, ?3, ?3)
       ON CONFLICT (date) DO UPDATE SET status = 'waiting', source_attempts = source_attempts + 1,
         last_error = ?2, updated_at = ?3
       WHERE digests.status IN ${REBUILDABLE}
       RETURNING source_attempts`,
    )
    .bind(date, error, now)
    .first<{ source_attempts: number }>();
  return row?.source_attempts ?? 0;
}

export async function recordSkipped(db: D1Database, date: string, reason: string, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO digests (date, status, skip_reason, created_at, updated_at, completed_at)
       VALUES (?1, 'skipped', ?2, ?3, ?3, ?3)
       ON CONFLICT (date) DO UPDATE SET status = 'skipped', skip_reason = ?2, updated_at = ?3, completed_at = ?3
       WHERE digests.status IN ${REBUILDABLE}`,
    )
    .bind(date, reason, now)
    .run();
}

export interface ReadyDigest {
  date: string;
  subject: string;
  papers: Paper[];
  html: string;
  text: string;
  sample: boolean;
}

/**
 * Stores a built digest and freezes its recipients at `now`, atomically with the record of
 * which papers it sends. Returns false when another run got there first.
 */
export async function storeReadyDigest(db: D1Database, digest: ReadyDigest, now: number): Promise<boolean> {
  const upsert = db
    .prepare(
      `INSERT INTO digests (date, status, subject, papers, html, text, sample, frozen_at, created_at, updated_at)
       VALUES (?1, 'ready', ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)
       ON CONFLICT (date) DO UPDATE SET status = 'ready', subject = ?2, papers = ?3, html = ?4, text = ?5,
         sample = ?6, frozen_at = ?7, skip_reason = NULL, last_error = NULL, updated_at = ?7, completed_at = NULL
       WHERE digests.status IN ${REBUILDABLE}`,
    )
    .bind(digest.date, digest.subject, JSON.stringify(digest.papers), digest.html, digest.text, digest.sample ? 1 : 0, now);
  // Sample papers (local development) repeat every day, so they are not remembered as sent.
  const remember = digest.sample
    ? []
    : digest.papers.map((paper) =>
        db
          .prepare("INSERT INTO sent_papers (paper_id, digest_date) VALUES (?, ?) ON CONFLICT (paper_id) DO NOTHING")
          .bind(paper.id, digest.date),
      );
  const [result] = await db.batch([upsert, ...remember]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Ids among `ids` that an earlier digest already sent. */
export async function findSentPaperIds(db: D1Database, ids: string[], exceptDate: string): Promise<Set<string>> {
  const sent = new Set<string>();
  // D1 allows 100 bound parameters per statement.
  for (let start = 0; start < ids.length; start += 90) {
    const slice = ids.slice(start, start + 90);
    const { results } = await db
      .prepare(
        `SELECT paper_id FROM sent_papers WHERE digest_date != ? AND paper_id IN (${slice.map(() => "?").join(", ")})`,
      )
      .bind(exceptDate, ...slice)
      .all<{ paper_id: string }>();
    for (const row of results) sent.add(row.paper_id);
  }
  return sent;
}
