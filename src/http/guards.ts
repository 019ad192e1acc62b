import type { Context, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./context";
import { AppError } from "./errors";

export const MAX_BODY_BYTES = 16 * 1024;
/** Operators import subscriber lists as CSV. */
export const MAX_ADMIN_BODY_BYTES = 2 * 1024 * 1024;

const publicLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError(413, "payload_too_large", "The request body is larger than 16 KB.");
  },
});
const adminLimit = bodyLimit({
  maxSize: MAX_ADMIN_BODY_BYTES,
  onError: () => {
    throw new AppError(413, "payload_too_large", "The request body is larger than 2 MB.");
  },
});

/** Request bodies above 16 KB (2 MB for the authenticated operator endpoints) are refused before they are read. */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
  c.req.path.startsWith("/admin/") ? adminLimit(c, next) : publicLimit(c, next);

/** Answers 405 with an Allow header for methods a known path does not take. */
export function allowOnly(app: Hono<AppEnv>, path: string, methods: string[]) {
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].join(", ");
  app.all(path, () => {
    throw new AppError(405, "method_not_allowed", `This address accepts ${allow} only.`, { Allow: allow });
  });
}

export type BodyKind = "json" | "form";

/** Reads a JSON or form body into a plain object, or throws a 4xx that says what was wrong. */
export async function readBody(c: Context<AppEnv>, accepted: BodyKind[]): Promise<{ kind: BodyKind; fields: Record<string, unknown> }> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  const kind: BodyKind | null = type.startsWith("application/json")
    ? "json"
    : type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")
      ? "form"
      : null;
  if (!kind || !accepted.includes(kind)) {
    const names = accepted.map((k) => (k === "json" ? "application/json" : "application/x-www-form-urlencoded"));
    throw new AppError(415, "unsupported_media_type", `Send the request as ${names.join(" or ")}.`);
  }
  if (kind === "json") {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new AppError(400, "invalid_json", "The request body must be a JSON object.");
    return { kind, fields: body as Record<string, unknown> };
  }
  try {
    return { kind, fields: (await c.req.parseBody()) as Record<string, unknown> };
  } catch {
    throw new AppError(400, "invalid_form", "The form data could not be read.");
  }
}
