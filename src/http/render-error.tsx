/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { AppEnv } from "./context";
import { MessagePage } from "../views/subscription-pages";
import type { AppError } from "./errors";
import { errorBody, wantsJson } from "./errors";
import { turnstileWidget } from "./navigation";

const TITLES: Record<number, string> = {
  400: "That didn't work",
  401: "Sign in required",
  403: "Not allowed",
  404: "Page not found",
  405: "Not allowed here",
  413: "Too much data",
  415: "Unsupported format",
  422: "Please check your entry",
  429: "Slow down a little",
  500: "Something went wrong",
  503: "paperboy is unavailable",
};

/** Errors as JSON for API clients and as a readable page for browsers. */
export function renderError(c: Context<AppEnv>, error: AppError): Response | Promise<Response> {
  const headers = { ...error.headers, "Cache-Control": "no-store" };
  if (wantsJson(c)) return c.json(errorBody(error.code, error.message), error.status, headers);
  return c.html(
    <MessagePage
      title={TITLES[error.status] ?? "Something went wrong"}
      message={error.message}
      manageByEmail={error.offersManageByEmail && c.var.services ? { turnstile: turnstileWidget(c) } : undefined}
    />,
    error.status,
    headers,
  );
}
