import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { AppError } from "./errors";

/**
 * Pages carry no script of their own, so the policy forbids scripts (but Turnstile's); the one
 * inline stylesheet is allowed, and nothing may frame the pages or post forms elsewhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Turnstile's widget is the one script a page may load, by nonce, when Turnstile is on. */
const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  const nonce = crypto.randomUUID().replace(/-/g, "");
  c.set("cspNonce", nonce);
  await next();
  const headers = c.res.headers;
  const policy = c.var.services?.config.turnstile
    ? `${CONTENT_SECURITY_POLICY}; script-src 'nonce-${nonce}' ${TURNSTILE_ORIGIN}; frame-src ${TURNSTILE_ORIGIN}; connect-src ${TURNSTILE_ORIGIN}`
    : CONTENT_SECURITY_POLICY;
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", policy);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (new URL(c.req.url).protocol === "https:")
    headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
};

/**
 * Refuses form posts that another site's page made a browser send (CSRF): a form can change
 * someone's subscription, so it must come from our own pages. Checked with Sec-Fetch-Site
 * where browsers send it, else Origin. Mounted on every form route; the RFC 8058 one-click
 * POST is left without it by design (mail providers send it from their own servers), and so
 * are webhooks, which carry signatures instead.
 */
export const sameOriginForm: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "POST" || !FORM_TYPES.test(c.req.header("content-type") ?? "")) return next();
  if (isCrossSite(c))
    throw new AppError(403, "cross_site_form", "This form was sent from another website. Please use the form on paperboy's own page.");
  return next();
};

/** True when a browser says another site's page sent this request (Sec-Fetch-Site, else Origin). */
export function isCrossSite(c: Context<AppEnv>): boolean {
  const site = c.req.header("sec-fetch-site");
  const origin = c.req.header("origin");
  const ownOrigins = [new URL(c.req.url).origin, c.var.services.config.publicBaseUrl];
  return site ? site !== "same-origin" && site !== "none" : origin !== undefined && !ownOrigins.includes(origin);
}
