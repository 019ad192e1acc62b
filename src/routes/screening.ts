import type { Context } from "hono";
import { screenSignup } from "../abuse/screen-signup";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";

/**
 * Screens a form that mails someone (a sign-up, "manage by email") like a sign-up: honeypot, the
 * per-client rate limit, Turnstile when it is on. "bot": answer as if it worked and do nothing.
 */
export async function screenMailRequest(c: Context<AppEnv>, fields: Record<string, unknown>, what: string): Promise<"pass" | "bot"> {
  const screening = await screenSignup(c.var.services, fields, c.req.header("cf-connecting-ip") ?? null);
  if (screening.kind === "pass" || screening.kind === "bot") return screening.kind;
  if (screening.kind === "rate_limited")
    throw new AppError(429, "rate_limited", `Too many ${what} from your network. Please wait a minute and try again.`, {
      "Retry-After": String(screening.retryAfterSeconds),
    });
  throw screening.unavailable
    ? new AppError(503, "challenge_unavailable", "We couldn't check that you're human just now. Please try again in a minute.")
    : new AppError(403, "challenge_failed", "Please complete the \"verify you are human\" check and send the form again.");
}
