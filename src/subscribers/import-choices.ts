/**
 * Readers' choices in an imported CSV file: optional columns, headed as the export writes them
 * (`cadence`, `digest_size`, `topics` separated by semicolons, `timezone`, `delivery_hour`; `size`,
 * `time zone` and `hour` are read too). An empty cell keeps the default; a cell that is not a
 * choice rejects its row, naming the column.
 */
import * as v from "valibot";
import { applyPreferences, DEFAULT_PREFERENCES, PreferenceFields, type Preferences } from "./preferences";

const HEADERS: Record<keyof v.InferOutput<typeof PreferenceFields>, readonly string[]> = {
  cadence: ["cadence"],
  size: ["digest_size", "size"],
  topics: ["topics"],
  timezone: ["timezone", "time_zone", "time zone"],
  hour: ["delivery_hour", "hour"],
};

export type ChoiceColumns = Partial<Record<keyof typeof HEADERS, number>>;

/** Where each choice is in the file, from its (lower-cased) header row. */
export function choiceColumns(header: readonly string[]): ChoiceColumns {
  const columns: ChoiceColumns = {};
  for (const [field, names] of Object.entries(HEADERS) as [keyof typeof HEADERS, readonly string[]][]) {
    const index = header.findIndex((cell) => names.includes(cell));
    if (index >= 0) columns[field] = index;
  }
  return columns;
}

/** The row's choices, or why they are not choices. */
export function rowChoices(cells: readonly string[], columns: ChoiceColumns): { ok: true; choices: Preferences } | { ok: false; reason: string } {
  const fields: Record<string, unknown> = {};
  for (const [field, index] of Object.entries(columns)) {
    const cell = (cells[index] ?? "").trim();
    if (cell !== "") fields[field] = field === "topics" ? cell.split(/[;,]/) : cell;
  }
  const result = v.safeParse(PreferenceFields, fields);
  if (result.success) return { ok: true, choices: applyPreferences(DEFAULT_PREFERENCES, result.output) };
  const [issue] = result.issues;
  const field = String(issue.path?.[0]?.key ?? "");
  const header = HEADERS[field as keyof typeof HEADERS]?.[0] ?? field;
  return { ok: false, reason: `${header}: ${issue.message}` };
}
