/** @jsxImportSource hono/jsx */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import { previewDigest } from "../../digest/build";
import { newestBuildable } from "../../digest/editions";
import { clearSessionCookie, sessionCookie, setSessionCookie } from "../../http/admin-session";
import { readBody } from "../../http/body";
import type { AppEnv } from "../../http/context";
import { AppError, wantsJson } from "../../http/errors";
import { allowOnly, publicBody } from "../../http/guards";
import { ADMIN_CHALLENGE, sessionState } from "../../http/require-admin";
import { isCrossSite, sameOriginForm } from "../../http/security";
import { editionName, validate } from "../../http/validate";
import { timingSafeEqual } from "../../lib/timing-safe";
import { endSession, startSession } from "../../operations/admin-sessions";
import { collectHealth } from "../../operations/health";
import { editionsGoingOut } from "../../operations/progress";
import { lookUpReader } from "../../operations/reader-admin";
import { collectStats } from "../../operations/stats";
import { dashboardScript } from "../../views/operator/dashboard-script";
import { DashboardPage } from "../../views/operator/dashboard-page";
import { PreviewPage } from "../../views/operator/preview-page";
import { SignInPage } from "../../views/operator/sign-in-page";
import { EDITION_MESSAGE, refuseIncompletePeriod } from "./complete-periods";
import { noticeFor } from "./dashboard-notices";
import { readerAdminDeps } from "./subscribers";

/**
 * The operator's dashboard, for a browser: `GET /admin`, its sign-in and sign-out, the preview page
 * and the live-progress script. Its actions are in `dashboard-actions.ts`; the JSON endpoints beside
 * it accept the session cookie as well as the Bearer token.
 */
export const dashboardRoutes = new Hono<AppEnv>();

/** Pages behind the sign-in: without a live session, the sign-in form (401), and nothing else runs. */
export const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  const state = await sessionState(c);
  if (state !== "live") {
    if (wantsJson(c)) throw new AppError(401, "unauthorized", "Sign in to the dashboard at /admin/sign-in, or use the JSON endpoints with `Authorization: Bearer <ADMIN_TOKEN>`.", ADMIN_CHALLENGE);
    const problem = state === "ended" ? "Your session has ended (signed out, expired, or the admin token changed). Please sign in again." : "Please sign in first.";
    return c.html(<SignInPage problem={problem} />, 401, { "Cache-Control": "no-store", ...ADMIN_CHALLENGE });
  }
  if (c.req.method !== "GET" && c.req.method !== "HEAD" && isCrossSite(c))
    throw new AppError(403, "cross_site_request", "This request came from another website. Use the dashboard's own buttons.");
  c.header("Cache-Control", "no-store");
  await next();
};

const DashboardQuery = v.object({
  reader: v.optional(v.pipe(v.string(), v.maxLength(320, "An email address is at most 320 characters."))),
  notice: v.optional(v.string()),
  edition: v.optional(v.string()),
  count: v.optional(v.string()),
});

dashboardRoutes.get("/", signedIn, validate("query", DashboardQuery), async (c) => {
  const { db, config, clock } = c.var.services;
  const query = c.req.valid("query");
  const now = clock.now();
  const [stats, health, goingOut, reader] = await Promise.all([
    collectStats(db, now),
    collectHealth(db, config, now),
    editionsGoingOut(db, now, config.digest.resendMaxRps),
    query.reader ? lookUpReader(readerAdminDeps(c), query.reader).then((lookup) => ({ query: query.reader!, lookup })) : null,
  ]);
  withScriptPolicy(c);
  return c.html(
    <DashboardPage
      stats={stats}
      health={health}
      goingOut={goingOut}
      reader={reader}
      newestEdition={newestBuildable("daily", now)}
      notice={noticeFor(query)}
      nonce={c.var.cspNonce}
    />,
  );
});

dashboardRoutes.get("/sign-in", async (c) => {
  if ((await sessionState(c)) === "live") return c.redirect("/admin", 303);
  return c.html(<SignInPage problem={c.req.query("signed_out") !== undefined ? "You are signed out." : undefined} />);
});

const SignIn = v.object({ token: v.pipe(v.string("Type the admin token."), v.minLength(1, "Type the admin token."), v.maxLength(512, "That is not an admin token.")) });

dashboardRoutes.post("/sign-in", publicBody, sameOriginForm, async (c) => {
  const { config, limits, db, clock } = c.var.services;
  const refuse = (status: 401 | 422 | 429 | 503, code: string, problem: string) => {
    const challenge = status === 401 ? ADMIN_CHALLENGE : {};
    if (wantsJson(c)) throw new AppError(status, code, problem, challenge);
    return c.html(<SignInPage problem={problem} />, status, { "Cache-Control": "no-store", ...challenge });
  };
  if (!config.adminToken) return refuse(503, "sign_in_off", "Sign-in is off: ADMIN_TOKEN is not configured on this Worker.");
  // Every attempt counts, right or wrong, and is counted before the token is compared: a guesser
  // past the limit learns nothing, not even that a guess was right.
  if (!(await limits.signIn(c.req.header("cf-connecting-ip") ?? "unknown"))) return refuse(429, "rate_limited", "Too many sign-in attempts from your network. Please wait a minute and try again.");
  const body = await readBody(c, ["form"]);
  const parsed = v.safeParse(SignIn, body.fields);
  if (!parsed.success) return refuse(422, "invalid_token", parsed.issues[0].message);
  if (!(await timingSafeEqual(parsed.output.token, config.adminToken))) return refuse(401, "wrong_token", "That is not the admin token.");
  const session = await startSession(db, clock.now());
  await setSessionCookie(c, config.adminToken, session);
  return c.redirect("/admin", 303);
});

dashboardRoutes.post("/sign-out", sameOriginForm, async (c) => {
  const { config, db } = c.var.services;
  const session = config.adminToken ? await sessionCookie(c, config.adminToken) : null;
  if (typeof session === "string" && session !== "forged") await endSession(db, session);
  clearSessionCookie(c);
  return c.redirect("/admin/sign-in?signed_out", 303);
});

dashboardRoutes.get("/dashboard.js", (c) =>
  c.body(dashboardScript, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" }),
);

const PreviewQuery = v.object({ edition: editionName(EDITION_MESSAGE) });

dashboardRoutes.get("/preview", signedIn, validate("query", PreviewQuery), async (c) => {
  const { edition } = c.req.valid("query");
  refuseIncompletePeriod(edition, c.var.services.clock.now());
  const outcome = await previewDigest(c.var.services, edition);
  if (outcome.kind === "unavailable") throw new AppError(503, "source_unavailable", outcome.error);
  if (outcome.kind === "empty") throw new AppError(404, "no_papers", outcome.reason);
  // The email's own styles and images show in the sandboxed frame; the page itself still runs no script.
  c.header("Content-Security-Policy", `${BASE_POLICY}; img-src 'self' data: https:; frame-src 'self'`);
  const { subject, html, text } = outcome.email;
  return c.html(<PreviewPage edition={edition} subject={subject} html={html} text={text} sample={outcome.sample} stored={outcome.stored} />);
});

allowOnly(dashboardRoutes, "/", ["GET"]);
allowOnly(dashboardRoutes, "/sign-in", ["GET", "POST"]);
allowOnly(dashboardRoutes, "/sign-out", ["POST"]);
allowOnly(dashboardRoutes, "/dashboard.js", ["GET"]);
allowOnly(dashboardRoutes, "/preview", ["GET"]);

const BASE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The dashboard runs its one script by nonce and may poll its own JSON endpoints; nothing else. */
function withScriptPolicy(c: Context<AppEnv>): void {
  c.header("Content-Security-Policy", `${BASE_POLICY}; img-src 'self' data:; script-src 'nonce-${c.var.cspNonce}'; connect-src 'self'`);
}
