import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import { buildDigest, previewDigest } from "../../digest/build";
import { tallyChunks, tallySlots } from "../../digest/ledger-repair";
import { resolveUnknown, retryFailedChunks } from "../../digest/retry";
import { readBody } from "../../http/body";
import { findDigest } from "../../digest/store";
import type { AppEnv } from "../../http/context";
import { AppError } from "../../http/errors";
import { allowOnly } from "../../http/guards";
import { editionName, parseBodyFields, validate } from "../../http/validate";
import { isoOrNull } from "../../lib/text";
import { EDITION_MESSAGE, refuseIncompletePeriod } from "./complete-periods";
import { editionProgress } from "../../operations/progress";

/**
 * An edition's status per send slot, building (or re-driving) it, retrying its failed chunks,
 * deciding on unknown ones, and a dry run. `:date` names the edition: a day, or an ISO week.
 */
export const adminDigestRoutes = new Hono<AppEnv>();

const DateParams = v.object({ date: editionName(EDITION_MESSAGE) });

// A malformed date is refused as such (this pattern also covers `/digests/:date` itself), not as a missing page.
adminDigestRoutes.use("/digests/:date/*", validate("param", DateParams));

adminDigestRoutes.get("/digests/:date", async (c) => {
  const date = c.req.param("date");
  const { db } = c.var.services;
  const digest = await findDigest(db, date);
  if (!digest) throw new AppError(404, "not_found", `There is no digest for ${date} yet.`);
  const { clock, config } = c.var.services;
  const [chunks, slots, progress] = await Promise.all([
    tallyChunks(db, date),
    tallySlots(db, date),
    editionProgress(db, date, clock.now(), config.digest.resendMaxRps),
  ]);
  return c.json({
    edition: date,
    cadence: digest.cadence,
    status: digest.status,
    subject: digest.subject,
    sample: digest.sample,
    papers: digest.papers.map((paper) => ({ id: paper.id, title: paper.title, upvotes: paper.upvotes })),
    skipReason: digest.skipReason,
    sourceAttempts: digest.sourceAttempts,
    lastError: digest.lastError,
    readyAt: isoOrNull(digest.readyAt),
    frozenThrough: isoOrNull(digest.frozenThrough === Number.MAX_SAFE_INTEGER ? null : digest.frozenThrough),
    completedAt: isoOrNull(digest.completedAt),
    recipients: digest.recipientCount,
    /** Readers whose topics matched nothing: sent nothing, by design. */
    unmatched: digest.unmatchedCount,
    /** Readers whose morning came after it could be sent. */
    missed: digest.missedCount,
    delivered: chunks.delivered,
    refused: chunks.refused,
    chunks: { total: digest.chunkCount, ...chunks.byStatus },
    failedChunks: chunks.failed,
    unknownChunks: chunks.unknown,
    slots,
    /** What the dashboard's progress bar shows: recipients by their chunk's state, the send rate, a finish estimate. */
    progress,
  });
});

const completeDaysOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  refuseIncompletePeriod(c.req.param("date")!, c.var.services.clock.now());
  await next();
};

adminDigestRoutes.post("/digests/:date/send", completeDaysOnly, async (c) => {
  const outcome = await buildDigest(c.var.services, c.req.param("date"), { force: true });
  return c.json(outcome, outcome.kind === "ready" || outcome.kind === "redriven" ? 202 : 200);
});

adminDigestRoutes.post("/digests/:date/retry", async (c) => {
  const edition = c.req.param("date");
  const { services } = c.var;
  if (!(await findDigest(services.db, edition))) throw new AppError(404, "not_found", `There is no digest for ${edition} yet.`);
  const requeuedChunks = await retryFailedChunks(services, edition);
  return c.json({ edition, requeuedChunks }, requeuedChunks.length > 0 ? 202 : 200);
});

const ChunkParams = v.object({
  date: editionName(EDITION_MESSAGE),
  chunk: v.pipe(v.string(), v.regex(/^\d{1,6}$/, "A chunk is its number, as /admin/digests/:date lists it."), v.transform(Number)),
});
const Resolution = v.object({
  resolution: v.picklist(["resend", "mark_sent"], 'Say "resend" (send it again, though its readers may get it twice) or "mark_sent" (count it as delivered).'),
});

// A chunk whose outcome stayed unknown past Resend's 24-hour Idempotency-Key window: the operator decides.
adminDigestRoutes.post("/digests/:date/chunks/:chunk/resolve", validate("param", ChunkParams), async (c) => {
  const { date, chunk } = c.req.valid("param");
  const body = await readBody(c, ["json"]);
  const { resolution } = parseBodyFields(Resolution, body.fields, body.kind);
  const outcome = await resolveUnknown(c.var.services, date, chunk, resolution);
  if (outcome.kind === "not_unknown")
    throw outcome.status === null
      ? new AppError(404, "not_found", `The digest for ${date} has no chunk ${chunk}.`)
      : new AppError(409, "not_unknown", `Chunk ${chunk} of ${date} is ${outcome.status}, not unknown: there is nothing to decide.`);
  return c.json(outcome, outcome.kind === "resending" ? 202 : 200);
});

const PreviewQuery = v.object({
  format: v.optional(v.picklist(["json", "html", "text"], 'format is "json" (the default), "html" or "text".')),
});

// The dry run: what the digest looks like (or looked like), with nothing stored or sent.
adminDigestRoutes.get("/digests/:date/preview", validate("query", PreviewQuery), completeDaysOnly, async (c) => {
  const { format } = c.req.valid("query");
  const outcome = await previewDigest(c.var.services, c.req.param("date"));
  if (outcome.kind === "unavailable") throw new AppError(503, "source_unavailable", outcome.error);
  if (outcome.kind === "empty") throw new AppError(404, "no_papers", outcome.reason);
  if (format === "html") return c.html(outcome.email.html);
  if (format === "text") return c.text(outcome.email.text);
  return c.json({ ...outcome.email, sample: outcome.sample, stored: outcome.stored, papers: outcome.papers.map((p) => p.id) });
});

allowOnly(adminDigestRoutes, "/digests/:date", ["GET"]);
allowOnly(adminDigestRoutes, "/digests/:date/send", ["POST"]);
allowOnly(adminDigestRoutes, "/digests/:date/retry", ["POST"]);
allowOnly(adminDigestRoutes, "/digests/:date/chunks/:chunk/resolve", ["POST"]);
allowOnly(adminDigestRoutes, "/digests/:date/preview", ["GET"]);
