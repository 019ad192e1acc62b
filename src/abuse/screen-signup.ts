import type { Config } from "../config";
import type { RateLimits } from "./limits";
import { verifyTurnstile } from "./turnstile";

/** The form's hidden trap field: people never see it, naive bots fill it in. */
export const HONEYPOT_FIELD = "website";
const TURNSTILE_FIELD = "cf-turnstile-response";

export type Screening =
  | { kind: "pass" }
  | { kind: "bot" }
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "challenge_failed"; unavailable: boolean };

interface ScreeningDeps {
  config: Pick<Config, "turnstile">;
  fetch: typeof fetch;
  limits: Pick<RateLimits, "signup">;
}

/**
 * Decides whether a sign-up request is worth acting on, before anything is stored:
 * honeypot, then the per-client rate limit, then Turnstile when it is configured.
 */
export async function screenSignup(
  deps: ScreeningDeps,
  fields: Record<string, unknown>,
  clientIp: string | null,
): Promise<Screening> {
  const trap = fields[HONEYPOT_FIELD];
  if (typeof trap === "string" ? trap.trim() !== "" : trap !== undefined && trap !== null) return { kind: "bot" };
  // Cloudflare always sets the client address in production; without one (local development,
  // tests) there is no client to count, and one shared bucket would throttle everyone.
  if (clientIp && !(await deps.limits.signup(clientIp))) return { kind: "rate_limited", retryAfterSeconds: 60 };
  const turnstile = deps.config.turnstile;
  if (!turnstile) return { kind: "pass" };
  const token = fields[TURNSTILE_FIELD] ?? fields.turnstileToken;
  const result = await verifyTurnstile({ fetch: deps.fetch, verifyUrl: turnstile.verifyUrl, secret: turnstile.secretKey }, token, clientIp);
  if (result.ok) return { kind: "pass" };
  return { kind: "challenge_failed", unavailable: result.reason === "unavailable" };
}
