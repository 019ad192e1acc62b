import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../http/context";
import { AppError } from "../../http/errors";
import { allowOnly } from "../../http/guards";
import { importUpload } from "./import-upload";
import { isoOrNull } from "../../lib/text";
import { eraseReader, liftReaderSuppression, lookUpReader, type ReaderLookup } from "../../operations/reader-admin";
import { collectStats } from "../../operations/stats";
import { exportSubscribersCsv } from "../../subscribers/export";

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
  const lookup = await lookUpReader(readerAdminDeps(c), c.req.param("email"));
  if (lookup.kind !== "found") throw notFound(lookup);
  const { subscriber } = lookup;
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
  const erasure = await eraseReader(readerAdminDeps(c), c.req.param("email"));
  if (erasure.kind !== "erased_now") throw notFound(erasure);
  return c.json({ deleted: erasure.address, suppressed: true });
});

// Lets a suppressed address back in: an erasure's hash goes, a bounced, complained or undeliverable
// subscriber becomes unsubscribed. Nothing is sent; the owner signs up and confirms like anyone.
adminSubscriberRoutes.delete("/suppressions/:email", async (c) => {
  const lift = await liftReaderSuppression(readerAdminDeps(c), c.req.param("email"));
  if (lift.kind === "invalid") throw new AppError(422, "invalid_email", lift.reason);
  if (lift.kind === "not_suppressed") throw new AppError(404, "not_suppressed", `${lift.address} is not suppressed.`);
  c.var.services.log.info("suppression lifted", { subscriberId: lift.subscriber?.id ?? null, erasure: lift.liftedErasure, status: lift.liftedStatus });
  return c.json({ email: lift.address, liftedErasure: lift.liftedErasure, liftedStatus: lift.liftedStatus, status: lift.subscriber?.status ?? null });
});

adminSubscriberRoutes.post("/subscribers/import", async (c) => {
  const report = await importUpload(c);
  return c.json({ imported: report.imported, rejected: report.rejected, rows: report.rows });
});

allowOnly(adminSubscriberRoutes, "/subscribers/import", ["POST"]);
allowOnly(adminSubscriberRoutes, "/stats", ["GET"]);
allowOnly(adminSubscriberRoutes, "/subscribers.csv", ["GET"]);
allowOnly(adminSubscriberRoutes, "/subscribers/:email", ["GET", "DELETE"]);
allowOnly(adminSubscriberRoutes, "/suppressions/:email", ["DELETE"]);

export function readerAdminDeps(c: Context<AppEnv>) {
  const { db, config, clock } = c.var.services;
  return { db, secret: config.signingSecret, now: clock.now() };
}

function notFound(lookup: Exclude<ReaderLookup, { kind: "found" }>): AppError {
  if (lookup.kind === "invalid") return new AppError(422, "invalid_email", lookup.reason);
  if (lookup.kind === "erased")
    return new AppError(
      404,
      "not_found",
      `No subscriber with the address ${lookup.address}: it was erased (${lookup.erasure}) and stays suppressed. DELETE /admin/suppressions/${lookup.address} lets it sign up again.`,
    );
  return new AppError(404, "not_found", `No subscriber with the address ${lookup.address}.`);
}
