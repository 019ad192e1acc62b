/**
 * Who receives a digest, written once: the subscribers active at its freeze time. The fan-out
 * splits them into id ranges; a chunk re-reads its range with the same rule before each send
 * after a known failure, so someone who left meanwhile is not mailed.
 */
const RECIPIENT_RULE = "status = 'active' AND confirmed_at <= ?1";

/** [subscriber id, address, token version]: everything needed to rebuild the exact payload. */
export type Recipient = [id: number, email: string, tokenVersion: number];

export interface ChunkBoundary {
  /** The last subscriber id of the chunk. */
  id: number;
  /** How many recipients up to and including it. */
  position: number;
}

/**
 * The last subscriber id of every `size`-th recipient (and of the last one), in one query over
 * the (status, id) index: chunk k covers ids in (boundary k-1, boundary k].
 */
export async function chunkBoundaries(db: D1Database, frozenAt: number, size: number): Promise<ChunkBoundary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, position FROM (
         SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position, COUNT(*) OVER () AS total
         FROM subscribers WHERE ${RECIPIENT_RULE}
       ) WHERE position % ?2 = 0 OR position = total ORDER BY id`,
    )
    .bind(frozenAt, size)
    .all<ChunkBoundary>();
  return results;
}

/** The recipients in ids (afterId, lastId] who were active at freeze time and still are. */
export async function recipientsInRange(db: D1Database, range: { afterId: number; lastId: number }, frozenAt: number): Promise<Recipient[]> {
  const { results } = await db
    .prepare(`SELECT id, email, token_version FROM subscribers WHERE ${RECIPIENT_RULE} AND id > ?2 AND id <= ?3 ORDER BY id`)
    .bind(frozenAt, range.afterId, range.lastId)
    .all<{ id: number; email: string; token_version: number }>();
  return results.map((row) => [row.id, row.email, row.token_version]);
}
