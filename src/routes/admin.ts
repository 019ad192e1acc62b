import { Hono } from "hono";
import { buildDigest, previewDigest } from "../digest/build";
import { reopenFailedChunks, tallyChunks } from "../delivery/ledger";
import { findDigest } from "../digest/store";
import { timingSafeEqual } from "../http/bearer";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { allowOnly } from "../http/guards";
import { adminSubscriberRoutes } from "./admin-subscribers";
import { createDigestDeps } from "../http/services";
import { isCalendarDay } from "../papers/day";

/** Operator endpoints, behind `Authorization: Bearer <ADMIN_TOKEN>`. Every answer is JSON. */
export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use("*", async (c, next) => {
  const expected = c.var.config.adminToken;
  const presented = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  if (!expected || !(await timingSafeEqual(presented, expected)))
    throw new AppError(401, "unauthorized", "Send the admin token as `Authorization: Bearer <ADMIN_TOKEN>`.", {
      "WWW-Authenticate": 'Bearer realm="paperboy admin"',
    });
  await next();
});

adminRoutes.route("/", adminSubscriberRoutes);

adminRoutes.use("/digests/:date/*", validateDate);
adminRoutes.use("/digests/:date", validateDate);

adminRoutes.get("/digests/:date", async (c) => {
  const date = c.req.param("date");
  const digest = await findDigest(c.env.DB, date);
  if (!digest) throw new AppError(404, "not_found", `There is no digest for ${date} yet.`);
  const chunks = await tallyChunks(c.env.DB, date);
  return c.json({
    date,
    status: digest.status,
    subject: digest.subject,
    sample: digest.sample,
    papers: digest.papers.map((paper) => ({ id: paper.id, title: paper.title, upvotes: paper.upvotes })),
    skipReason: digest.skipReason,
    sourceAttempts: digest.sourceAttempts,
    lastError: digest.lastError,
    frozenAt: digest.frozenAt && new Date(digest.frozenAt).toISOString(),
    completedAt: digest.completedAt && new Date(digest.completedAt).toISOString(),
    recipients: digest.recipientCount,
    delivered: chunks.delivered,
    chunks: { total: digest.chunkCount, ...chunks.byStatus },
    failedChunks: chunks.failed,
  });
});

adminRoutes.post("/digests/:date/send", async (c) => {
  const outcome = await buildDigest(createDigestDeps(c.var.config, c.env), c.req.param("date"), { force: true });
  return c.json(outcome, outcome.kind === "queued" ? 202 : 200);
});

adminRoutes.post("/digests/:date/retry", async (c) => {
  const date = c.req.param("date");
  const deps = createDigestDeps(c.var.config, c.env);
  const digest = await findDigest(deps.db, date);
  if (!digest) throw new AppError(404, "not_found", `There is no digest for ${date} yet.`);
  const chunks = await reopenFailedChunks(deps.db, date, deps.now());
  if (chunks.length > 0) {
    await deps.db
      .prepare("UPDATE digests SET status = 'sending', completed_at = NULL, updated_at = ? WHERE date = ? AND status = 'sent'")
      .bind(deps.now(), date)
      .run();
    for (let start = 0; start < chunks.length; start += 100)
      await deps.queue.sendBatch(chunks.slice(start, start + 100).map((chunk) => ({ body: { kind: "chunk", date, chunk } })));
  }
  return c.json({ date, requeuedChunks: chunks }, chunks.length > 0 ? 202 : 200);
});

// The dry run: what the digest looks like (or looked like), with nothing stored or sent.
adminRoutes.get("/digests/:date/preview", async (c) => {
  const outcome = await previewDigest(createDigestDeps(c.var.config, c.env), c.req.param("date"));
  if (outcome.kind === "unavailable") throw new AppError(503, "source_unavailable", outcome.error);
  if (outcome.kind === "empty") throw new AppError(404, "no_papers", outcome.reason);
  const format = c.req.query("format");
  if (format === "html") return c.html(outcome.email.html);
  if (format === "text") return c.text(outcome.email.text);
  return c.json({ ...outcome.email, sample: outcome.sample, stored: outcome.stored, papers: outcome.papers.map((p) => p.id) });
});

allowOnly(adminRoutes, "/digests/:date", ["GET"]);
allowOnly(adminRoutes, "/digests/:date/send", ["POST"]);
allowOnly(adminRoutes, "/digests/:date/retry", ["POST"]);
allowOnly(adminRoutes, "/digests/:date/preview", ["GET"]);

async function validateDate(c: { req: { param: (name: "date") => string } }, next: () => Promise<void>) {
  if (!isCalendarDay(c.req.param("date"))) throw new AppError(400, "invalid_date", "Dates are written YYYY-MM-DD.");
  await next();
}
