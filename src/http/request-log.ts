import type { MiddlewareHandler } from "hono";
import { createLogger } from "../lib/logger";
import type { AppEnv } from "./context";

/**
 * Gives every request an id (Cloudflare's Ray ID when present), returns it as `X-Request-Id`
 * and logs one line per request with method, path, status and duration. Query strings are
 * left out of the log: they carry tokens. A path segment holding an address (the operator's
 * `/admin/subscribers/:email`, or anyone's typing) is logged as `:address`: logs keep no addresses.
 */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", requestId);
  const started = Date.now();
  await next();
  c.res.headers.set("X-Request-Id", requestId);
  const fields = { requestId, method: c.req.method, path: withoutAddresses(c.req.path), status: c.res.status, ms: Date.now() - started };
  const log = createLogger();
  if (c.res.status >= 500) log.error("request", fields);
  else log.info("request", fields);
};

const withoutAddresses = (path: string) => path.replace(/[^/]*(@|%40)[^/]*/gi, ":address");
