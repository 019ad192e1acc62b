import type { Context } from "hono";
import type { AppEnv } from "../http/context";
import type { TokenPurpose } from "../subscribers/tokens";
import type { JustDone } from "../views/subscription-state";

const DONE: readonly JustDone[] = ["confirmed", "unsubscribed", "resubscribed", "saved", "weekly"];

/** What the redirect after a form says was just done (`?done=`); anything else is ignored, as it only changes wording. */
export function justDone(c: Context<AppEnv>): JustDone | null {
  const done = c.req.query("done");
  return DONE.find((value) => value === done) ?? null;
}

/** The page a link of `purpose` shows after `done`: the subscription's page for its own links, the unsubscribe page otherwise. */
export function resultPage(purpose: TokenPurpose, token: string, done?: JustDone): string {
  const path = purpose === "preferences" ? "/preferences" : "/unsubscribe";
  return `${path}?token=${encodeURIComponent(token)}${done ? `&done=${done}` : ""}`;
}
