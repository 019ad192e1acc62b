import type { Context, MiddlewareHandler } from "hono";
import { isLiveSession } from "../operations/admin-sessions";
import { timingSafeEqual } from "../lib/timing-safe";
import type { AppEnv } from "./context";
import { sessionCookie } from "./admin-session";
import { AppError } from "./errors";
import { isCrossSite } from "./security";

/** The token of an `Authorization: Bearer <token>` header, or "" when there is none. */
function bearerToken(header: string | undefined): string {
  return /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1] ?? "";
}

/** What every 401 of the operator's endpoints and pages carries (RFC 9110 asks a 401 for its challenge). */
export const ADMIN_CHALLENGE = { "WWW-Authenticate": 'Bearer realm="paperboy admin"' };

const UNAUTHORIZED = () => new AppError(401, "unauthorized", "Send the admin token as `Authorization: Bearer <ADMIN_TOKEN>`.", ADMIN_CHALLENGE);

/**
 * Lets a request through with `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time, or
 * from a browser signed in to the dashboard (a live session cookie), whose changes must come from
 * our own pages. Without ADMIN_TOKEN configured, nobody gets in. `deny` is what a refused request
 * gets: a 401 by default; places that should not admit to existing answer a 404 instead.
 */
export function requireAdmin(deny: () => AppError = UNAUTHORIZED): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.var.services.config.adminToken;
    if (!expected) throw deny();
    if (await timingSafeEqual(bearerToken(c.req.header("authorization")), expected)) return next();
    if ((await sessionState(c)) !== "live") throw deny();
    if (!SAFE_METHODS.has(c.req.method) && isCrossSite(c))
      throw new AppError(403, "cross_site_request", "This request came from another website. Use the dashboard's own buttons.");
    return next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * Whether a request carries the cookie of a live dashboard session: "ended" when it carries one that
 * is forged, expired, signed out or signed with an older ADMIN_TOKEN.
 */
export async function sessionState(c: Context<AppEnv>): Promise<"live" | "ended" | "none"> {
  const { config, db, clock } = c.var.services;
  if (!config.adminToken) return "none";
  const session = await sessionCookie(c, config.adminToken);
  if (session === null) return "none";
  return session !== "forged" && (await isLiveSession(db, session, clock.now())) ? "live" : "ended";
}
