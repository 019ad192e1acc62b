/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { arrivalOf } from "../digest/schedule";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { allowOnly, publicBody } from "../http/guards";
import { seeOtherOrShow, showsState } from "../http/navigation";
import { sameOriginForm } from "../http/security";
import { parseBodyFields } from "../http/validate";
import { changeChoices } from "../subscribers/choices";
import { findPreferences } from "../subscribers/preference-store";
import { PreferenceFields } from "../subscribers/preferences";
import type { Subscriber } from "../subscribers/store";
import { MANAGE_PURPOSES, resolveLink } from "../subscribers/subscription";
import type { JustDone } from "../views/subscription-state";
import { PreferencesPage } from "../views/preferences-page";
import { justDone, resultPage } from "./just-done";
import { invalidLink } from "./link-problems";

/**
 * The subscription's own page, the preference centre, opened by a preferences link: where it
 * stands, what can be done about it, and the reader's choices. GET changes nothing (link scanners
 * open every link); each form is a same-origin POST answered with a redirect back here.
 */
export const preferencesRoutes = new Hono<AppEnv>();

/** Readers who can still be mailed choose; a suppressed address has nothing to choose. */
const CHOOSING: readonly Subscriber["status"][] = ["pending", "active", "unsubscribed"];

async function page(c: Context<AppEnv>, subscriber: Subscriber, token: string, done: JustDone | null) {
  const choices = CHOOSING.includes(subscriber.status) ? await findPreferences(c.var.services.db, subscriber.id) : null;
  const arrival = choices && arrivalOf(choices.timeZone, choices.deliveryHour, new Date(c.var.services.clock.now()).getUTCFullYear());
  return (
    <PreferencesPage
      email={subscriber.email}
      status={subscriber.status}
      token={token}
      done={done}
      choices={choices && arrival ? { choices, ...arrival } : null}
    />
  );
}

preferencesRoutes.get("/preferences", showsState, async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, "preferences");
  if (!link.ok) throw invalidLink("manage", link.problem);
  return c.html(await page(c, link.subscriber, token!, justDone(c)));
});

// Saving the reader's choices: the form (or a JSON body, answered with what was saved).
preferencesRoutes.post("/preferences", publicBody, sameOriginForm, showsState, async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, "preferences");
  if (!link.ok) throw invalidLink("manage", link.problem);
  const body = await readBody(c, ["form", "json"]);
  const choices = await changeChoices(c.var.services, link.subscriber.id, parseBodyFields(PreferenceFields, body.fields, body.kind));
  if (body.kind === "json") return c.json({ choices });
  const rendered = await page(c, link.subscriber, token!, "saved");
  return seeOtherOrShow(c, `/preferences?token=${encodeURIComponent(token!)}&done=saved`, () => rendered);
});

// Instead of leaving: one POST from the unsubscribe page (or the preference centre) makes it weekly.
preferencesRoutes.post("/preferences/weekly", publicBody, sameOriginForm, showsState, async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, MANAGE_PURPOSES);
  if (!link.ok) throw invalidLink("manage", link.problem);
  await changeChoices(c.var.services, link.subscriber.id, { cadence: "weekly" });
  const rendered = await page(c, link.subscriber, token!, "weekly");
  return seeOtherOrShow(c, resultPage(link.purpose, token!, "weekly"), () => rendered);
});

allowOnly(preferencesRoutes, "/preferences", ["GET", "POST"]);
allowOnly(preferencesRoutes, "/preferences/weekly", ["POST"]);
