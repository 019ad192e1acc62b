import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { allowOnly } from "../http/guards";
import { CONFIRMATIONS_PER_MESSAGE } from "../digest/messages";
import { createDigestDeps } from "../http/services";
import { parseEmailAddress } from "../subscribers/address";
import { importSubscribers } from "../subscribers/import";
import { eraseSubscriber } from "../subscribers/privacy";
import { collectStats } from "../subscribers/stats";
import { findSubscriberByKey } from "../subscribers/store";

/** Operator tools for the list itself; mounted under /admin, behind its Bearer check. */
export const adminSubscriberRoutes = new Hono<AppEnv>();

adminSubscriberRoutes.get("/stats", async (c) => c.json(await collectStats(c.env.DB, Date.now())));

const CSV_COLUMNS = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at", "bounced_at", "complained_at"] as const;
const EXPORT_PAGE = 1000;

// Streamed page by page (keyset on id), so a large list never sits in memory at once.
adminSubscriberRoutes.get("/subscribers.csv", (c) => {
  const db = c.env.DB;
  let afterId = 0;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
    },
    async pull(controller) {
      const { results } = await db
        .prepare(`SELECT id, ${CSV_COLUMNS.join(", ")} FROM subscribers WHERE id > ? ORDER BY id LIMIT ?`)
        .bind(afterId, EXPORT_PAGE)
        .all<Record<(typeof CSV_COLUMNS)[number], string | number | null> & { id: number }>();
      if (results.length === 0) return controller.close();
      afterId = results.at(-1)!.id;
      const lines = results.map((row) =>
        CSV_COLUMNS.map((column) => csvField(column.endsWith("_at") ? isoOrEmpty(row[column]) : String(row[column] ?? ""))).join(","),
      );
      controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
    },
  });
  return c.body(stream, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="paperboy-subscribers.csv"',
    "Cache-Control": "no-store",
  });
});

adminSubscriberRoutes.get("/subscribers/:email", async (c) => {
  const subscriber = await findByAddress(c.env.DB, c.req.param("email"));
  return c.json({
    id: subscriber.id,
    email: subscriber.email,
    status: subscriber.status,
    createdAt: iso(subscriber.createdAt),
    confirmationSentAt: iso(subscriber.confirmationSentAt),
    confirmedAt: iso(subscriber.confirmedAt),
    unsubscribedAt: iso(subscriber.unsubscribedAt),
  });
});

adminSubscriberRoutes.delete("/subscribers/:email", async (c) => {
  const subscriber = await findByAddress(c.env.DB, c.req.param("email"));
  await eraseSubscriber(c.env.DB, c.var.config.signingSecret, subscriber, "deleted_by_operator", Date.now());
  return c.json({ deleted: subscriber.email, suppressed: true });
});

adminSubscriberRoutes.post("/subscribers/import", async (c) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^text\/(csv|plain)\b/i.test(type)) throw new AppError(415, "unsupported_media_type", "Send the list as text/csv.");
  const deps = createDigestDeps(c.var.config, c.env);
  let report;
  try {
    report = await importSubscribers(deps, await c.req.text());
  } catch (error) {
    if (error instanceof RangeError) throw new AppError(413, "too_many_rows", error.message);
    throw error;
  }
  const ids = report.newSubscriberIds;
  const messages = [];
  for (let start = 0; start < ids.length; start += CONFIRMATIONS_PER_MESSAGE)
    messages.push({ body: { kind: "confirm" as const, subscriberIds: ids.slice(start, start + CONFIRMATIONS_PER_MESSAGE) } });
  for (let start = 0; start < messages.length; start += 100) await deps.queue.sendBatch(messages.slice(start, start + 100));
  return c.json({ imported: report.imported, rejected: report.rejected, rows: report.rows });
});

allowOnly(adminSubscriberRoutes, "/subscribers/import", ["POST"]);
allowOnly(adminSubscriberRoutes, "/stats", ["GET"]);
allowOnly(adminSubscriberRoutes, "/subscribers.csv", ["GET"]);
allowOnly(adminSubscriberRoutes, "/subscribers/:email", ["GET", "DELETE"]);

async function findByAddress(db: D1Database, input: string) {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) throw new AppError(422, "invalid_email", parsed.reason);
  const subscriber = await findSubscriberByKey(db, parsed.value.key);
  if (!subscriber) throw new AppError(404, "not_found", `No subscriber with the address ${parsed.value.address}.`);
  return subscriber;
}

function iso(value: number | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function isoOrEmpty(value: unknown): string {
  return typeof value === "number" ? new Date(value).toISOString() : "";
}

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
