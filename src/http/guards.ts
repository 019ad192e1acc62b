import type { Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./context";
import { AppError } from "./errors";

function limitBodyTo(maxSize: number, label: string): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, "payload_too_large", `The request body is larger than ${label}.`);
    },
  });
}

/** Request bodies above 16 KB are refused before they are read. */
export const publicBody = limitBodyTo(16 * 1024, "16 KB");
/** Operators import subscriber lists as CSV. */
export const adminBody = limitBodyTo(2 * 1024 * 1024, "2 MB");

/** Answers 405 with an Allow header for methods a known path does not take. */
export function allowOnly(app: Hono<AppEnv>, path: string, methods: string[]) {
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].join(", ");
  app.all(path, () => {
    throw new AppError(405, "method_not_allowed", `This address accepts ${allow} only.`, { Allow: allow });
  });
}
