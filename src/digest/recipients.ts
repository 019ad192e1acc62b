/**
 * Who receives an edition, written once. A reader is frozen into a chunk when their morning comes
 * (`freeze.ts`), as a member: their id, the rendering their choices selected and their topics at
 * that moment. Before each send the chunk reads its members' addresses again with the same rule,
 * so someone who left meanwhile is not mailed, and someone who changed their choices meanwhile
 * gets what was frozen for them, never a second version.
 */
const RECIPIENT_RULE = "status = 'active'";

/** [subscriber id, rendering key, topics]: one reader of a chunk, as frozen. */
export type Member = [id: number, rendering: string, topics: string[]];

/**
 * [subscriber id, address, token version, rendering key, topics]: everything needed to rebuild
 * the exact payload of a send, locked in the ledger before the call.
 */
export type Recipient = [id: number, email: string, tokenVersion: number, rendering: string, topics: string[]];

/** The statement's WHERE clause for "readers who may be frozen now" (active and confirmed by `?confirmedBy`). */
export function mayBeFrozen(confirmedBy: string): string {
  return `${RECIPIENT_RULE} AND confirmed_at <= ${confirmedBy}`;
}

/** The chunk's members who still receive it, with their current addresses, in member order. */
export async function recipientsOf(db: D1Database, members: readonly Member[]): Promise<Recipient[]> {
  if (members.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT id, email, token_version FROM subscribers
       WHERE ${RECIPIENT_RULE} AND id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(members.map(([id]) => id)))
    .all<{ id: number; email: string; token_version: number }>();
  const byId = new Map(results.map((row) => [row.id, row]));
  return members.flatMap(([id, rendering, topics]): Recipient[] => {
    const row = byId.get(id);
    return row ? [[id, row.email, row.token_version, rendering, topics]] : [];
  });
}

/** The key migration 0006 gave the single rendering of each edition sent before editions existed. */
const LEGACY_RENDERING = "legacy";

/**
 * A locked payload from before editions ([id, email, token version]) is rebuilt from the one
 * rendering such an edition has, so its retry is byte-identical to the first attempt.
 */
export function lockedRecipients(json: string): Recipient[] {
  return (JSON.parse(json) as (Recipient | [number, string, number])[]).map((entry) =>
    entry.length === 3 ? [entry[0], entry[1], entry[2], LEGACY_RENDERING, []] : entry,
  );
}
