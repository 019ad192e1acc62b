import type { Context } from "hono";
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
import { eraseSubscriber, findSuppression, liftSuppression } from "../../subscribers/privacy";
import { findSubscriberByKey } from "../../subscribers/store";

/** Operator tools for the list itself: numbers, export and import, one address looked up, erased or let back in. */
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
  const subscriber = await findByAddress(c, c.req.param("email"));
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
  const subscriber = await findByAddress(c, c.req.param("email"));
  await eraseSubscriber(db, config.signingSecret, subscriber, "deleted_by_operator", clock.now());
  return c.json({ deleted: subscriber.email, suppressed: true });
});

// Lets a suppressed address back in: an erasure's hash goes, a bounced, complained or undeliverable
// subscriber becomes unsubscribed. Nothing is sent; the owner signs up and confirms like anyone.
adminSubscriberRoutes.delete("/suppressions/:email", async (c) => {
  const { db, config, clock, log } = c.var.services;
  const address = parseAddress(c.req.param("email"));
  const lifted = await liftSuppression(db, config.signingSecret, address.key, clock.now());
  if (!lifted.erasure && !lifted.status) throw new AppError(404, "not_suppressed", `${address.address} is not suppressed.`);
  const subscriber = await findSubscriberByKey(db, address.key);
  log.info("suppression lifted", { subscriberId: subscriber?.id ?? null, erasure: lifted.erasure, status: lifted.status });
  return c.json({ email: address.address, liftedErasure: lifted.erasure, liftedStatus: lifted.status, status: subscriber?.status ?? null });
});

adminSubscriberRoutes.post("/subscribers/import", async (c) => {
  const { services } = c.var;
  let report;
  try {
    report = await importSubscribers(services, await importedText(c));
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
allowOnly(adminSubscriberRoutes, "/suppressions/:email", ["DELETE"]);

/** The CSV of an import: the body itself (text/csv), or the file of a form upload (multipart/form-data, field "file"). */
async function importedText(c: Context<AppEnv>): Promise<string> {
  const type = c.req.header("content-type") ?? "";
  if (/^text\/(csv|plain)\b/i.test(type)) return c.req.text();
  if (!/^multipart\/form-data\b/i.test(type))
    throw new AppError(415, "unsupported_media_type", "Send the list as text/csv, or upload it as the file field \"file\" of a multipart/form-data form.");
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError(400, "invalid_form", "The upload could not be read.");
  }
  const file = form.file;
  if (!(file instanceof File)) throw new AppError(422, "invalid_file", "Upload the list as the file field \"file\".");
  return file.text();
}

function parseAddress(input: string) {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) throw new AppError(422, "invalid_email", parsed.reason);
  return parsed.value;
}

async function findByAddress(c: Context<AppEnv>, input: string) {
  const { db, config } = c.var.services;
  const address = parseAddress(input);
  const subscriber = await findSubscriberByKey(db, address.key);
  if (subscriber) return subscriber;
  const { erasure } = await findSuppression(db, config.signingSecret, address.key);
  if (erasure)
    throw new AppError(
      404,
      "not_found",
      `No subscriber with the address ${address.address}: it was erased (${erasure}) and stays suppressed. DELETE /admin/suppressions/${address.address} lets it sign up again.`,
    );
  throw new AppError(404, "not_found", `No subscriber with the address ${address.address}.`);
}
