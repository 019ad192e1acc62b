/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { AppError, wantsJson } from "../http/errors";
import { allowOnly, publicBody } from "../http/guards";
import { seeOtherOrShow, showsState, turnstileWidget } from "../http/navigation";
import { sameOriginForm } from "../http/security";
import type { LinkOutcome } from "../subscribers/subscription";
import { deleteMyData, MANAGE_PURPOSES, requestManageLink, resolveLink, resubscribe, unsubscribe } from "../subscribers/subscription";
import { ManageLinkSentPage, ManagePage } from "../views/manage-pages";
import { PreferencesPage } from "../views/preferences-page";
import { findPreferences } from "../subscribers/preference-store";
import { DataDeletedPage, DeleteDataPage, LinkPage } from "../views/subscription-pages";
import type { JustDone } from "../views/subscription-state";
import { justDone, resultPage } from "./just-done";
import { invalidLink } from "./link-problems";
import { screenMailRequest } from "./screening";

/**
 * Leaving, coming back, deleting one's data and asking for a link by email: thin adapters over
 * `subscribers/subscription`. Every action works from the unsubscribe link of a list mail and from
 * the subscription's own page (a preferences link), and a browser is sent back to the page it came from.
 */
export const manageRoutes = new Hono<AppEnv>();

manageRoutes.get("/unsubscribe", showsState, async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, "unsubscribe");
  if (!link.ok) throw invalidLink("manage", link.problem);
  const { email, status } = link.subscriber;
  const choices = await findPreferences(c.var.services.db, link.subscriber.id);
  return c.html(<LinkPage page="unsubscribe" email={email} status={status} token={token!} done={justDone(c)} offerWeekly={choices?.cadence === "daily"} />);
});

// RFC 8058 one-click: mail providers POST `List-Unsubscribe=One-Click` here with no cookies and
// follow no redirects, from their own servers: no same-origin check, and the page itself as the
// answer. The token in the URL is all we need, so the body is not read.
manageRoutes.post("/unsubscribe", publicBody, showsState, async (c) => {
  const token = c.req.query("token");
  const outcome = await unsubscribe(c.var.services, token);
  if (outcome.kind !== "done") throw invalidLink("manage", outcome.problem);
  return seeOtherOrShow(c, resultPage(outcome.purpose, token!, "unsubscribed"), () => resultView(outcome, token!, "unsubscribed"));
});

manageRoutes.post("/resubscribe", publicBody, sameOriginForm, showsState, async (c) => {
  const token = c.req.query("token");
  const outcome = await resubscribe(c.var.services, token);
  if (outcome.kind !== "done") throw invalidLink("manage", outcome.problem);
  // From pending, the button read "Confirm my subscription": say so, not "welcome back".
  const done = outcome.was === "pending" ? "confirmed" : "resubscribed";
  return seeOtherOrShow(c, resultPage(outcome.purpose, token!, done), () => resultView(outcome, token!, done));
});

// "Delete my data" asks once: this page holds the question, the POST below erases.
manageRoutes.get("/unsubscribe/delete", showsState, async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, MANAGE_PURPOSES);
  if (!link.ok) throw invalidLink("manage", link.problem);
  return c.html(<DeleteDataPage email={link.subscriber.email} token={token!} back={resultPage(link.purpose, token!)} />);
});

manageRoutes.post("/unsubscribe/delete", publicBody, sameOriginForm, async (c) => {
  const outcome = await deleteMyData(c.var.services, c.req.query("token"));
  if (outcome.kind !== "deleted") throw invalidLink("manage", outcome.problem);
  const { suppressedForGood } = outcome;
  return seeOtherOrShow(c, `/unsubscribe/deleted${suppressedForGood ? "?for=good" : ""}`, () => <DataDeletedPage forGood={suppressedForGood} />);
});

manageRoutes.get("/unsubscribe/deleted", (c) => c.html(<DataDeletedPage forGood={c.req.query("for") === "good"} />));

manageRoutes.get("/manage", (c) => c.html(<ManagePage turnstile={turnstileWidget(c)} />));

manageRoutes.post("/manage", publicBody, sameOriginForm, async (c) => {
  const body = await readBody(c, ["json", "form"]);
  const api = body.kind === "json" || wantsJson(c);
  const answerAccepted = () => (api ? c.json({ status: "requested" }, 202) : seeOtherOrShow(c, "/manage/sent", () => <ManageLinkSentPage />));
  if ((await screenMailRequest(c, body.fields, "requests")) === "bot") return answerAccepted();
  const outcome = await requestManageLink(c.var.services, body.fields.email);
  if (outcome.kind === "accepted") return answerAccepted();
  const { reason } = outcome;
  if (api) throw new AppError(422, "invalid_email", reason);
  const typed = typeof body.fields.email === "string" ? body.fields.email.slice(0, 254) : "";
  return c.html(<ManagePage email={typed} error={reason} turnstile={turnstileWidget(c)} />, 422);
});

manageRoutes.get("/manage/sent", (c) => c.html(<ManageLinkSentPage />));

allowOnly(manageRoutes, "/unsubscribe", ["GET", "POST"]);
allowOnly(manageRoutes, "/resubscribe", ["POST"]);
allowOnly(manageRoutes, "/unsubscribe/delete", ["GET", "POST"]);
allowOnly(manageRoutes, "/unsubscribe/deleted", ["GET"]);
allowOnly(manageRoutes, "/manage", ["GET", "POST"]);
allowOnly(manageRoutes, "/manage/sent", ["GET"]);

/** The page an action's answer shows when it is not a redirect: the one its token's link opens. */
function resultView(outcome: Extract<LinkOutcome, { kind: "done" }>, token: string, done: JustDone) {
  const { email, status } = outcome.subscriber;
  if (outcome.purpose === "preferences") return <PreferencesPage email={email} status={status} token={token} done={done} choices={null} />;
  return <LinkPage page="unsubscribe" email={email} status={status} token={token} done={done} />;
}
