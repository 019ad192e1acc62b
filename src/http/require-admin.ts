import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "../lib/timing-safe";
import type { AppEnv } from "./context";
import { AppError } from "./errors";

/** The token of an `Authorization: Bearer <token>` header, or "" when there is none. */
function bearerToken(header: string | undefined): string {
  return /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1] ?? "";
}

const UNAUTHORIZED = () =>
  new AppError(401, "unauthorized", "Send the admin token as `Authorization: Bearer <ADMIN_TOKEN>`.", {
    "WWW-Authenticate": 'Bearer realm="paperboy admin"',
  });

/**
 * Lets a request through only with `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant
 * time. Without ADMIN_TOKEN configured, nobody gets in. `deny` is what a refused request gets:
 * a 401 by default; places that should not admit to existing answer a 404 instead.
 */
export function requireAdmin(deny: () => AppError = UNAUTHORIZED): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.var.services.config.adminToken;
    if (!expected || !(await timingSafeEqual(bearerToken(c.req.header("authorization")), expected))) throw deny();
    await next();
  };
}
