/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { allowOnly } from "../http/guards";
import { showsState } from "../http/navigation";
import { resolveLink } from "../subscribers/subscription";
import { PreferencesPage } from "../views/preferences-page";
import { justDone } from "./just-done";
import { invalidLink } from "./link-problems";

/**
 * The subscription's own page, opened by a preferences link: where it stands and what can be done
 * about it. GET changes nothing (link scanners open every link); each action is a POST form on the
 * page, answered with a redirect back here.
 */
export const preferencesRoutes = new Hono<AppEnv>();

preferencesRoutes.get("/preferences", showsState, async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, "preferences");
  if (!link.ok) throw invalidLink("manage", link.problem);
  const { email, status } = link.subscriber;
  return c.html(<PreferencesPage email={email} status={status} token={token!} done={justDone(c)} />);
});

allowOnly(preferencesRoutes, "/preferences", ["GET"]);
