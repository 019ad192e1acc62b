/**
 * Request validation with valibot schemas through Hono's standard validator. A request that
 * does not fit is refused before the handler runs, with a clear 4xx naming the field:
 * `invalid_<field>` and the schema's own message (written for people, not for parsers).
 */
import { sValidator } from "@hono/standard-validator";
import * as v from "valibot";
import { isCalendarDay, isIsoWeek } from "../lib/calendar";
import { AppError } from "./errors";

type Target = "param" | "query" | "json" | "form";

export function validate<T extends Target, S extends v.GenericSchema>(target: T, schema: S) {
  return sValidator(target, schema, (result) => {
    if (!result.success) throw refusal(target, result.error);
  });
}

/** A body read by `readBody` (JSON or a form), checked against `schema` with the same answers as `validate`. */
export function parseBodyFields<S extends v.GenericSchema>(schema: S, fields: Record<string, unknown>, kind: "json" | "form"): v.InferOutput<S> {
  const result = v.safeParse(schema, fields);
  if (!result.success) throw refusal(kind, result.issues);
  return result.output;
}

function refusal(target: Target, issues: readonly { message?: string; path?: readonly unknown[] | undefined }[]): AppError {
  const [issue] = issues;
  const field = issue?.path?.map((part) => (typeof part === "object" && part !== null && "key" in part ? part.key : part)).join("_") || target;
  // A wrong address or query is a bad request; a body that parses but says something impossible is unprocessable.
  const status = target === "json" || target === "form" ? 422 : 400;
  return new AppError(status, `invalid_${String(field)}`, issue?.message ?? "This request could not be read.");
}

/** An edition path segment: a daily one's day (`YYYY-MM-DD`) or a weekly one's ISO week (`YYYY-Www`). */
export const editionName = (message: string) =>
  v.pipe(v.string(message), v.check((value: string) => isCalendarDay(value) || isIsoWeek(value), message));
