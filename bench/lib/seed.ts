import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { d1Execute, type LocalState } from "../../test/support/dev-worker";

/** The address of seeded subscriber `n` (1-based). */
export const seededAddress = (n: number) => `reader${String(n).padStart(7, "0")}@bench.example`;

/** Rows per INSERT: at most about 60 KB of SQL (the longest topic choices included), under D1's 100 KB statement limit. */
const ROWS_PER_INSERT = 200;

/** A reader's choices (migration 0006's columns); a reader seeded without them has the defaults. */
export interface Choices {
  cadence: "daily" | "weekly";
  size: 3 | 5 | 10 | 20;
  topics: readonly string[];
  timezone: string;
  hour: number;
}

export const DEFAULT_CHOICES: Choices = { cadence: "daily", size: 10, topics: [], timezone: "UTC", hour: 7 };

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Writes `count` active subscribers (confirmed a day ago, ids 1..count) into the local D1 of
 * `state`, with multi-row INSERTs run by `wrangler d1 execute --file`; subscriber n has the choices
 * `choicesOf(n)` (by default, everyone the defaults: daily, ten papers, every topic, 07:00 UTC).
 * Returns their addresses.
 */
export async function seedActiveSubscribers(state: LocalState, count: number, choicesOf: (n: number) => Choices = () => DEFAULT_CHOICES): Promise<string[]> {
  const confirmedAt = Date.now() - 24 * 60 * 60 * 1000;
  const addresses = Array.from({ length: count }, (_, index) => seededAddress(index + 1));
  if (count === 0) return addresses;
  const statements: string[] = [];
  for (let start = 0; start < count; start += ROWS_PER_INSERT) {
    const rows = addresses.slice(start, start + ROWS_PER_INSERT).map((email, offset) => {
      const n = start + offset + 1;
      const { cadence, size, topics, timezone, hour } = choicesOf(n);
      const choices = [quote(cadence), size, quote(JSON.stringify(topics)), quote(timezone), hour].join(", ");
      return `(${n}, '${email}', '${email}', 'active', 1, ${confirmedAt}, ${confirmedAt}, ${confirmedAt}, ${choices})`;
    });
    statements.push(
      `INSERT INTO subscribers (id, email, email_key, status, token_version, created_at, updated_at, confirmed_at, cadence, digest_size, topics, timezone, delivery_hour) VALUES ${rows.join(", ")};`,
    );
  }
  const file = join(state.dir, "seed.sql");
  await writeFile(file, statements.join("\n"));
  await d1Execute(state, { file });
  return addresses;
}
