import { Hono } from "hono";
import type { AppEnv } from "../../http/context";
import { AppError } from "../../http/errors";
import { allowOnly } from "../../http/guards";
import { isoOrNull } from "../../lib/text";
import { collectStats } from "../../operations/stats";
import { parseEmailAddress } from "../../subscribers/address";
import { queueConfirmations } from "../../subscribers/confirmations";
import { exportSubscribersCsv } from "../../subscribers/export";
import { importSubscribers } from "../../subscribers/import";
import { eraseSubscriber } from "../../subscribers/privacy";
import { findSubscriberByKey } from "../../subscribers/store";

/** Operator tools for the list itself: numbers, export and import, one address looked up or erased. */
export const adminSubscriberRoutes = new Hono<AppEnv>();

adminSubscriberRoutes.get("/stats", async (c) => c.json(await collectStats(c.var.services.db, c.var.services.clock.now())));

adminSubscriberRoutes.get("/subscribers.csv", (c) =>
  c.body(exportSubscribersCsv(c.var.services.db), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="paperboy-subscribers.csv"',
    "Cache-Control": "no-store",
  }),
);

adminSubscriberRoutes.get("/subscribers/:email", async (c) => {
  const subscriber = await findByAddress(c.var.services.db, c.req.param("email"));
  return c.json({
    id: subscriber.id,
    email: subscriber.email,
    status: subscriber.status,
    createdAt: isoOrNull(subscriber.createdAt),
    confirmationSentAt: isoOrNull(subscriber.confirmationSentAt),
    confirmedAt: isoOrNull(subscriber.confirmedAt),
    unsubscribedAt: isoOrNull(subscriber.unsubscribedAt),
  });
});

adminSubscriberRoutes.delete("/subscribers/:email", async (c) => {
  const { db, config, clock } = c.var.services;
  const subscriber = await findByAddress(db, c.req.param("email"));
  await eraseSubscriber(db, config.signingSecret, subscriber, "deleted_by_operator", clock.now());
  return c.json({ deleted: subscriber.email, suppressed: true });
});

adminSubscriberRoutes.post("/subscribers/import", async (c) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^text\/(csv|plain)\b/i.test(type)) throw new AppError(415, "unsupported_media_type", "Send the list as text/csv.");
  const { services } = c.var;
  let report;
  try {
    report = await importSubscribers(services, await c.req.text());
  } catch (error) {
    if (error instanceof RangeError) throw new AppError(413, "too_many_rows", error.message);
    throw error;
  }
  await queueConfirmations(services.queue, report.newSubscriberIds);
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
