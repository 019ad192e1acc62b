/**
 * Server-side Cloudflare Turnstile check (`siteverify`). A missing, expired, reused or forged
 * token fails; so does an unreachable verifier (fail closed: a bot wave during an outage
 * must not get through), which the caller reports as "try again".
 */
export type TurnstileResult = { ok: true } | { ok: false; reason: "missing" | "rejected" | "unavailable"; codes: string[] };

export async function verifyTurnstile(
  deps: { fetch: typeof fetch; verifyUrl: string; secret: string },
  token: unknown,
  remoteIp: string | null,
): Promise<TurnstileResult> {
  if (typeof token !== "string" || token === "" || token.length > 2048) return { ok: false, reason: "missing", codes: [] };
  const form = new URLSearchParams({ secret: deps.secret, response: token });
  if (remoteIp) form.set("remoteip", remoteIp);
  let answer: { success?: unknown; "error-codes"?: unknown };
  try {
    const response = await deps.fetch(deps.verifyUrl, { method: "POST", body: form, signal: AbortSignal.timeout(5000) });
    if (!response.ok) return { ok: false, reason: "unavailable", codes: [`http_${response.status}`] };
    answer = await response.json();
  } catch (error) {
    return { ok: false, reason: "unavailable", codes: [String(error)] };
  }
  if (answer.success === true) return { ok: true };
  const codes = Array.isArray(answer["error-codes"]) ? answer["error-codes"].map(String) : [];
  return { ok: false, reason: "rejected", codes };
}
