import type { Paper } from "../papers/paper";
import { PUBLISHED_STATUSES } from "./lifecycle";

/**
 * Read-only queries for the public ways into past digests: the archive, the web version, the
 * feed and the home page's preview. A digest is public once it is going out ('sending') or gone
 * out ('sent'); earlier states may still change, and skipped days have nothing to show.
 */
const PUBLISHED = `status IN (${PUBLISHED_STATUSES.map((status) => `'${status}'`).join(", ")}) AND papers IS NOT NULL AND subject IS NOT NULL`;

export interface PublishedDigest {
  date: string;
  subject: string;
  /** In rank order, as they were sent. */
  papers: Paper[];
  sample: boolean;
  /** When the digest's content was fixed (ms since the epoch). */
  updatedAt: number;
}

/** One archive line: enough to list a digest without loading its papers. */
export interface ArchiveEntry {
  date: string;
  subject: string;
  paperCount: number;
  topTitle: string | null;
  sample: boolean;
}

export interface ArchivePage {
  entries: ArchiveEntry[];
  /** Published digests in all. */
  total: number;
}

interface DigestRow {
  date: string;
  subject: string;
  papers: string;
  sample: number;
  updated_at: number;
}

interface ArchiveRow {
  date: string;
  subject: string;
  paper_count: number;
  top_title: string | null;
  sample: number;
}

const DIGEST_COLUMNS = "date, subject, papers, sample, COALESCE(frozen_at, created_at) AS updated_at";

function toPublishedDigest(row: DigestRow): PublishedDigest {
  return {
    date: row.date,
    subject: row.subject,
    papers: JSON.parse(row.papers) as Paper[],
    sample: row.sample === 1,
    updatedAt: row.updated_at,
  };
}

/** The digest for `date` if it has been published, else null. */
export async function findPublishedDigest(db: D1Database, date: string): Promise<PublishedDigest | null> {
  const row = await db.prepare(`SELECT ${DIGEST_COLUMNS} FROM digests WHERE date = ? AND ${PUBLISHED}`).bind(date).first<DigestRow>();
  return row ? toPublishedDigest(row) : null;
}

/** The `limit` most recent published digests, newest first. */
export async function latestPublishedDigests(db: D1Database, limit: number): Promise<PublishedDigest[]> {
  const { results } = await db
    .prepare(`SELECT ${DIGEST_COLUMNS} FROM digests WHERE ${PUBLISHED} ORDER BY date DESC LIMIT ?`)
    .bind(limit)
    .all<DigestRow>();
  return results.map(toPublishedDigest);
}

/**
 * One page of the archive, newest first (`page` counts from 1), and the total to page through.
 *
 * @example const { entries, total } = await listArchive(db, { page: 2, pageSize: 20 });
 */
export async function listArchive(db: D1Database, { page, pageSize }: { page: number; pageSize: number }): Promise<ArchivePage> {
  const [list, count] = await db.batch<ArchiveRow | { total: number }>([
    db
      .prepare(
        `SELECT date, subject, sample, json_array_length(papers) AS paper_count, json_extract(papers, '$[0].title') AS top_title
         FROM digests WHERE ${PUBLISHED} ORDER BY date DESC LIMIT ? OFFSET ?`,
      )
      .bind(pageSize, (page - 1) * pageSize),
    db.prepare(`SELECT COUNT(*) AS total FROM digests WHERE ${PUBLISHED}`),
  ]);
  const rows = (list?.results ?? []) as ArchiveRow[];
  return {
    entries: rows.map((row) => ({
      date: row.date,
      subject: row.subject,
      paperCount: row.paper_count,
      topTitle: row.top_title,
      sample: row.sample === 1,
    })),
    total: ((count?.results ?? [])[0] as { total: number } | undefined)?.total ?? 0,
  };
}
