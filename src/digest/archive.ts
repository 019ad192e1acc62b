import type { Paper } from "../papers/paper";
import type { Cadence } from "../subscribers/preferences";
import { PUBLISHED_STATUSES } from "./lifecycle";

/**
 * Read-only queries for the public ways into past editions: the archive, the web version, the
 * feeds and the home page's preview. An edition is public once it is going out ('sending') or gone
 * out ('sent'); earlier states may still change, and skipped ones have nothing to show. The web
 * shows an edition's top papers (`size`, the `DIGEST_SIZE` setting); readers' emails choose their own.
 */
const PUBLISHED = `status IN (${PUBLISHED_STATUSES.map((status) => `'${status}'`).join(", ")}) AND papers IS NOT NULL AND subject IS NOT NULL`;

export interface PublishedDigest {
  edition: string;
  cadence: Cadence;
  subject: string;
  /** Its top papers, in rank order. */
  papers: Paper[];
  sample: boolean;
  /** When the digest's content was fixed (ms since the epoch). */
  updatedAt: number;
}

/** One archive line: enough to list a digest without loading its papers. */
export interface ArchiveEntry {
  edition: string;
  cadence: Cadence;
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
  edition: string;
  cadence: Cadence;
  subject: string;
  papers: string;
  sample: number;
  updated_at: number;
}

interface ArchiveRow {
  edition: string;
  cadence: Cadence;
  subject: string;
  paper_count: number;
  top_title: string | null;
  sample: number;
}

const DIGEST_COLUMNS = "edition, cadence, subject, papers, sample, COALESCE(ready_at, created_at) AS updated_at";
const OF_CADENCE = "(?2 IS NULL OR cadence = ?2)";

function toPublishedDigest(row: DigestRow, size: number): PublishedDigest {
  return {
    edition: row.edition,
    cadence: row.cadence,
    subject: row.subject,
    papers: (JSON.parse(row.papers) as Paper[]).slice(0, size),
    sample: row.sample === 1,
    updatedAt: row.updated_at,
  };
}

/** The edition if it has been published, else null, with its top `size` papers. */
export async function findPublishedDigest(db: D1Database, edition: string, size: number): Promise<PublishedDigest | null> {
  const row = await db.prepare(`SELECT ${DIGEST_COLUMNS} FROM digests WHERE edition = ? AND ${PUBLISHED}`).bind(edition).first<DigestRow>();
  return row ? toPublishedDigest(row, size) : null;
}

/** The `limit` most recently built published editions (of one cadence, or both), newest first. */
export async function latestPublishedDigests(db: D1Database, { limit, size, cadence = null }: { limit: number; size: number; cadence?: Cadence | null }): Promise<PublishedDigest[]> {
  const { results } = await db
    .prepare(`SELECT ${DIGEST_COLUMNS} FROM digests WHERE ${PUBLISHED} AND ${OF_CADENCE} ORDER BY ready_at DESC LIMIT ?1`)
    .bind(limit, cadence)
    .all<DigestRow>();
  return results.map((row) => toPublishedDigest(row, size));
}

/**
 * One page of the archive, newest first (`page` counts from 1), and the total to page through.
 *
 * @example const { entries, total } = await listArchive(db, { page: 2, pageSize: 20 });
 */
export async function listArchive(db: D1Database, { page, pageSize, size }: { page: number; pageSize: number; size: number }): Promise<ArchivePage> {
  const [list, count] = await db.batch<ArchiveRow | { total: number }>([
    db
      .prepare(
        `SELECT edition, cadence, subject, sample, MIN(json_array_length(papers), ?3) AS paper_count, json_extract(papers, '$[0].title') AS top_title
         FROM digests WHERE ${PUBLISHED} ORDER BY ready_at DESC LIMIT ?1 OFFSET ?2`,
      )
      .bind(pageSize, (page - 1) * pageSize, size),
    db.prepare(`SELECT COUNT(*) AS total FROM digests WHERE ${PUBLISHED}`),
  ]);
  const rows = (list?.results ?? []) as ArchiveRow[];
  return {
    entries: rows.map((row) => ({
      edition: row.edition,
      cadence: row.cadence,
      subject: row.subject,
      paperCount: row.paper_count,
      topTitle: row.top_title,
      sample: row.sample === 1,
    })),
    total: ((count?.results ?? [])[0] as { total: number } | undefined)?.total ?? 0,
  };
}
