/**
 * The subscriber list as CSV, streamed page by page (keyset on id), so a large list never sits in
 * memory at once. Readers' choices come along (topics separated by "; "), in the columns the import
 * reads back.
 */
const CSV_COLUMNS = [
  "email",
  "status",
  "created_at",
  "confirmed_at",
  "unsubscribed_at",
  "bounced_at",
  "complained_at",
  "cadence",
  "digest_size",
  "topics",
  "timezone",
  "delivery_hour",
] as const;
const EXPORT_PAGE = 1000;

type ExportRow = Record<(typeof CSV_COLUMNS)[number], string | number | null> & { id: number };

export function exportSubscribersCsv(db: D1Database): ReadableStream<Uint8Array> {
  let afterId = 0;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
    },
    async pull(controller) {
      const { results } = await db
        .prepare(`SELECT id, ${CSV_COLUMNS.join(", ")} FROM subscribers WHERE id > ? ORDER BY id LIMIT ?`)
        .bind(afterId, EXPORT_PAGE)
        .all<ExportRow>();
      if (results.length === 0) return controller.close();
      afterId = results.at(-1)!.id;
      const lines = results.map((row) => CSV_COLUMNS.map((column) => csvField(cell(column, row[column]))).join(","));
      controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
    },
  });
}

function cell(column: (typeof CSV_COLUMNS)[number], value: string | number | null): string {
  if (column.endsWith("_at")) return typeof value === "number" ? new Date(value).toISOString() : "";
  if (column === "topics") return (JSON.parse(String(value ?? "[]")) as string[]).join("; ");
  return String(value ?? "");
}

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
