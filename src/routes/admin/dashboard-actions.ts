import { type Context, Hono } from "hono";
import * as v from "valibot";
import { buildDigest } from "../../digest/build";
import { retryFailedChunks } from "../../digest/retry";
import { findDigest } from "../../digest/store";
import { readBody } from "../../http/body";
import type { AppEnv } from "../../http/context";
import { AppError } from "../../http/errors";
import { adminBody, allowOnly } from "../../http/guards";
import { editionName, parseBodyFields } from "../../http/validate";
import { eraseReader, liftReaderSuppression } from "../../operations/reader-admin";
import { EDITION_MESSAGE, refuseIncompletePeriod } from "./complete-periods";
import { signedIn } from "./dashboard";
import { type NoticeCode, noticeHref } from "./dashboard-notices";
import { importUpload } from "./import-upload";
import { readerAdminDeps } from "./subscribers";

/**
 * The dashboard's buttons: same-origin form posts from a signed-in browser, each confirmed by a
 * ticked box, each answered with a redirect back to the dashboard that says what happened. They call
 * the same domain functions as the JSON endpoints.
 */
export const dashboardActionRoutes = new Hono<AppEnv>();

dashboardActionRoutes.use("/actions/*", adminBody, signedIn);

const EditionAction = v.object({ edition: editionName(EDITION_MESSAGE) });
const ReaderAction = v.object({ email: v.pipe(v.string("Give the reader's email address."), v.maxLength(320)) });

dashboardActionRoutes.post("/actions/retry", async (c) => {
  const { edition } = await confirmed(c, EditionAction);
  const { services } = c.var;
  await knownEdition(services.db, edition);
  const requeued = await retryFailedChunks(services, edition);
  return c.redirect(noticeHref(requeued.length > 0 ? "retried" : "nothing_to_retry", { edition, count: requeued.length }), 303);
});

dashboardActionRoutes.post("/actions/send", async (c) => {
  const { edition } = await confirmed(c, EditionAction);
  refuseIncompletePeriod(edition, c.var.services.clock.now());
  const outcome = await buildDigest(c.var.services, edition, { force: true });
  const code: Record<typeof outcome.kind, NoticeCode> = { ready: "built", redriven: "redriven", unchanged: "unchanged", waiting: "waiting", skipped: "skipped" };
  const count = outcome.kind === "redriven" ? outcome.unfinishedChunks : undefined;
  return c.redirect(noticeHref(code[outcome.kind], { edition, count }, "progress"), 303);
});

dashboardActionRoutes.post("/actions/erase", async (c) => {
  const { email } = await confirmed(c, ReaderAction);
  const erasure = await eraseReader(readerAdminDeps(c), email);
  if (erasure.kind === "invalid") throw new AppError(422, "invalid_email", erasure.reason);
  if (erasure.kind !== "erased_now") throw new AppError(404, "not_found", "There is no reader with this address (any more): nothing was erased.");
  return c.redirect(noticeHref("erased", {}, "actions"), 303);
});

dashboardActionRoutes.post("/actions/lift", async (c) => {
  const { email } = await confirmed(c, ReaderAction);
  const lift = await liftReaderSuppression(readerAdminDeps(c), email);
  if (lift.kind === "invalid") throw new AppError(422, "invalid_email", lift.reason);
  if (lift.kind === "not_suppressed") throw new AppError(404, "not_suppressed", `${lift.address} is not suppressed: nothing to lift.`);
  c.var.services.log.info("suppression lifted", { subscriberId: lift.subscriber?.id ?? null, erasure: lift.liftedErasure, status: lift.liftedStatus });
  return c.redirect(noticeHref("lifted", {}, "actions"), 303);
});

dashboardActionRoutes.post("/actions/import", async (c) => {
  await confirmed(c, v.object({}));
  const report = await importUpload(c);
  return c.redirect(noticeHref("imported", { count: report.imported, rejected: report.rejected }, "actions"), 303);
});

for (const action of ["retry", "send", "erase", "lift", "import"]) allowOnly(dashboardActionRoutes, `/actions/${action}`, ["POST"]);

/** The form's fields, checked: a post without its box ticked changes nothing. */
async function confirmed<S extends v.GenericSchema>(c: Context<AppEnv>, schema: S): Promise<v.InferOutput<S>> {
  const { fields } = await readBody(c, ["form"]);
  if (fields.confirm !== "yes") throw new AppError(422, "invalid_confirm", "Tick the box beside the button to confirm.");
  return parseBodyFields(schema, fields, "form");
}

async function knownEdition(db: D1Database, edition: string): Promise<void> {
  if (!(await findDigest(db, edition))) throw new AppError(404, "not_found", `There is no edition ${edition} yet: nothing to retry.`);
}
