import Papa from "papaparse";
import { parseBlocklist } from "../abuse/blocklist";
import type { Config } from "../config";
import type { Clock } from "../lib/clock";
import { parseEmailAddress } from "./address";
import { SUPPRESSED, type SubscriberStatus } from "./lifecycle";
import { choiceColumns, rowChoices } from "./import-choices";
import type { Preferences } from "./preferences";
import { addressHash } from "./privacy";

interface ImportRow {
  line: number;
  input: string;
  result: "imported" | "rejected";
  reason?: string;
}

export interface ImportReport {
  imported: number;
  rejected: number;
  rows: ImportRow[];
  /** Ids of the new pending subscribers, who now need a confirmation email. */
  newSubscriberIds: number[];
}

const MAX_IMPORT_ROWS = 10_000;
/** D1 allows 100 bound parameters per statement. */
const KEYS_PER_QUERY = 90;

/**
 * Imports addresses from CSV as pending subscribers, who must confirm like anyone else.
 * Exports from other newsletter tools parse as they are (papaparse): quoted fields with commas
 * and line breaks, a byte-order mark, CRLF, comma, semicolon or tab separators. The address is the
 * column headed "email" (or "email address", "e-mail"), or the first column. Every row gets a verdict:
 * invalid, blocklisted, a repeat within the file, already on the list, or suppressed
 * (bounced, complained or erased) rows are rejected with the reason. Readers' choices may come in
 * optional columns (see import-choices.ts).
 */
export async function importSubscribers(
  deps: { db: D1Database; config: Pick<Config, "signingSecret" | "domainBlocklist">; clock: Clock },
  csv: string,
): Promise<ImportReport> {
  const table = parseCsv(csv);
  const header = table[0]?.map((cell) => cell.trim().toLowerCase()) ?? [];
  const headed = header.findIndex((cell) => EMAIL_HEADER.test(cell));
  const column = Math.max(0, headed);
  const firstData = headed >= 0 ? 1 : 0;
  const choices = headed >= 0 ? choiceColumns(header) : {};
  if (table.length - firstData > MAX_IMPORT_ROWS) throw new RangeError(`An import holds at most ${MAX_IMPORT_ROWS} rows.`);

  const blocked = parseBlocklist(deps.config.domainBlocklist);
  const rows: ImportRow[] = [];
  const candidates = new Map<string, { row: ImportRow; address: string; chosen: Preferences }>();
  const firstLine = new Map<string, number>();
  table.slice(firstData).forEach((cells, index) => {
    const line = index + firstData + 1;
    const input = (cells[column] ?? "").trim();
    const row: ImportRow = { line, input, result: "rejected" };
    rows.push(row);
    const parsed = parseEmailAddress(input);
    if (!parsed.ok) return void (row.reason = parsed.reason);
    const { address, key } = parsed.value;
    if (blocked(address.slice(address.lastIndexOf("@") + 1))) return void (row.reason = "the domain is on the blocklist");
    const seen = firstLine.get(key);
    if (seen !== undefined) return void (row.reason = `listed twice in this file (first on line ${seen})`);
    firstLine.set(key, line);
    const chosen = rowChoices(cells, choices);
    if (!chosen.ok) return void (row.reason = chosen.reason);
    candidates.set(key, { row, address, chosen: chosen.choices });
  });

  const keys = [...candidates.keys()];
  const existing = await lookupStatuses(deps.db, keys);
  const hashes = new Map(await Promise.all(keys.map(async (key) => [await addressHash(deps.config.signingSecret, key), key] as const)));
  const suppressed = await lookupSuppressed(deps.db, [...hashes.keys()]);
  for (const hash of suppressed) candidates.get(hashes.get(hash)!)!.row.reason = "suppressed: the owner asked to be removed";
  for (const [key, status] of existing) {
    const { row } = candidates.get(key)!;
    row.reason = SUPPRESSED.includes(status) ? `suppressed: the address ${status}` : `already on the list (${status})`;
  }

  const toInsert = [...candidates.entries()].filter(([, { row }]) => row.reason === undefined);
  const now = deps.clock.now();
  const newSubscriberIds: number[] = [];
  for (let start = 0; start < toInsert.length; start += 100) {
    const slice = toInsert.slice(start, start + 100);
    const results = await deps.db.batch<{ id: number }>(
      slice.map(([key, { address, chosen }]) =>
        deps.db
          .prepare(
            `INSERT INTO subscribers (email, email_key, status, created_at, updated_at, cadence, digest_size, topics, timezone, delivery_hour)
             VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email_key) DO NOTHING RETURNING id`,
          )
          .bind(address, key, now, now, chosen.cadence, chosen.size, JSON.stringify(chosen.topics), chosen.timeZone, chosen.deliveryHour),
      ),
    );
    slice.forEach(([, { row }], index) => {
      const id = results[index]?.results[0]?.id;
      if (id === undefined) row.reason = "already on the list (signed up meanwhile)";
      else {
        row.result = "imported";
        newSubscriberIds.push(id);
      }
    });
  }
  const imported = rows.filter((row) => row.result === "imported").length;
  return { imported, rejected: rows.length - imported, rows, newSubscriberIds };
}

/** Headers other tools give the address column: "email", "Email Address" (Mailchimp), "E-mail". */
const EMAIL_HEADER = /^e-?mail(?: address)?$/;

/**
 * The rows of a CSV file; rows whose cells are all blank are left out. Line ends are made one
 * kind first: files edited on two systems mix them, and papaparse expects one per file. The
 * separator (comma, semicolon as spreadsheets write it in much of Europe, or tab) is read off the
 * first line.
 */
function parseCsv(text: string): string[][] {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  return Papa.parse<string[]>(normalised, { skipEmptyLines: "greedy", newline: "\n", delimiter: separatorOf(normalised) }).data;
}

const SEPARATORS = [",", ";", "\t"] as const;

/**
 * The separator that leaves an address (or the address header) whole in the first line, splitting
 * it into the most cells: `a@example.com;Smith, Ann, Jr` has more commas than semicolons, but only
 * the semicolon yields an address. (papaparse's own guess takes the comma there.)
 */
function separatorOf(text: string): string {
  const end = text.indexOf("\n");
  const firstLine = end < 0 ? text : text.slice(0, end);
  let best = { separator: ",", address: false, cells: 0 };
  for (const separator of SEPARATORS) {
    const cells = Papa.parse<string[]>(firstLine, { delimiter: separator, preview: 1 }).data[0] ?? [];
    const address = cells.some((cell) => EMAIL_HEADER.test(cell.trim().toLowerCase()) || parseEmailAddress(cell).ok);
    if ((address && !best.address) || (address === best.address && cells.length > best.cells)) best = { separator, address, cells: cells.length };
  }
  return best.separator;
}

async function lookupStatuses(db: D1Database, keys: string[]): Promise<Map<string, SubscriberStatus>> {
  const found = new Map<string, SubscriberStatus>();
  for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
    const slice = keys.slice(start, start + KEYS_PER_QUERY);
    const { results } = await db
      .prepare(`SELECT email_key, status FROM subscribers WHERE email_key IN (${slice.map(() => "?").join(", ")})`)
      .bind(...slice)
      .all<{ email_key: string; status: SubscriberStatus }>();
    for (const row of results) found.set(row.email_key, row.status);
  }
  return found;
}

async function lookupSuppressed(db: D1Database, hashes: string[]): Promise<string[]> {
  const found: string[] = [];
  for (let start = 0; start < hashes.length; start += KEYS_PER_QUERY) {
    const slice = hashes.slice(start, start + KEYS_PER_QUERY);
    const { results } = await db
      .prepare(`SELECT email_hash FROM suppressions WHERE email_hash IN (${slice.map(() => "?").join(", ")})`)
      .bind(...slice)
      .all<{ email_hash: string }>();
    found.push(...results.map((row) => row.email_hash));
  }
  return found;
}
