import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { d1Execute, type LocalState } from "../../test/support/dev-worker";

/** The address of seeded subscriber `n` (1-based). */
const seededAddress = (n: number) => `reader${String(n).padStart(7, "0")}@bench.example`;

/** Rows per INSERT: about 50 KB of SQL, under D1's 100 KB statement limit. */
const ROWS_PER_INSERT = 400;

/**
 * Writes `count` active subscribers (confirmed a day ago, ids 1..count) into the local D1 of
 * `state`, with multi-row INSERTs run by `wrangler d1 execute --file`. Returns their addresses.
 */
export async function seedActiveSubscribers(state: LocalState, count: number): Promise<string[]> {
  const confirmedAt = Date.now() - 24 * 60 * 60 * 1000;
  const addresses = Array.from({ length: count }, (_, index) => seededAddress(index + 1));
  if (count === 0) return addresses;
  const statements: string[] = [];
  for (let start = 0; start < count; start += ROWS_PER_INSERT) {
    const rows = addresses
      .slice(start, start + ROWS_PER_INSERT)
      .map((email, offset) => `(${start + offset + 1}, '${email}', '${email}', 'active', 1, ${confirmedAt}, ${confirmedAt}, ${confirmedAt})`);
    statements.push(
      `INSERT INTO subscribers (id, email, email_key, status, token_version, created_at, updated_at, confirmed_at) VALUES ${rows.join(", ")};`,
    );
  }
  const file = join(state.dir, "seed.sql");
  await writeFile(file, statements.join("\n"));
  await d1Execute(state, { file });
  return addresses;
}
