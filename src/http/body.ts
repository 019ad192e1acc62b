import type { Context } from "hono";
import type { AppEnv } from "./context";
import { AppError } from "./errors";

type BodyKind = "json" | "form";

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
    // A field sent more than once (ticked checkboxes) arrives as a list, not as its last value.
    return { kind, fields: (await c.req.parseBody({ all: true })) as Record<string, unknown> };
  } catch {
    throw new AppError(400, "invalid_form", "The form data could not be read.");
  }
}
