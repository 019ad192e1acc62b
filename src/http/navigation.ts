import type { Context, MiddlewareHandler } from "hono";
import type { TurnstileWidget } from "../views/form-parts";
import type { AppEnv } from "./context";

/**
 * A browser submitting a form (fetch metadata: `Sec-Fetch-Mode: navigate`). Such a post is answered
 * with 303 See Other to a page it can reload (Post/Redirect/Get), so reload, history and tab
 * restore never re-post or land on the POST-only address. Other clients (API calls, curl, a mail
 * provider's RFC 8058 one-click unsubscribe, which follows no redirect) get the page itself.
 */
function isBrowserNavigation(c: Context<AppEnv>): boolean {
  return c.req.header("sec-fetch-mode") === "navigate";
}

/** Turnstile's widget for a page with a screened form, when Turnstile is on. */
export function turnstileWidget(c: Context<AppEnv>): TurnstileWidget {
  const siteKey = c.var.services?.config.turnstile?.siteKey;
  return siteKey ? { siteKey, nonce: c.var.cspNonce } : undefined;
}

/**
 * The answer to a form that did something: a browser is sent to `location` with 303 See Other;
 * any other client gets the page that address shows.
 */
export function seeOtherOrShow(c: Context<AppEnv>, location: string, page: () => Parameters<Context<AppEnv>["html"]>[0]) {
  return isBrowserNavigation(c) ? c.redirect(location, 303) : c.html(page());
}

/**
 * For pages that show a subscription's state: never stored, so Back and tab restore fetch where
 * the reader stands now (not "Confirm your subscription" after confirming), and the link's page
 * stays out of shared caches.
 */
export const showsState: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-store");
};
