/**
 * Verifies a Svix-signed webhook (Resend signs its webhooks with Svix):
 * `svix-signature` holds space-separated `v1,<base64 HMAC-SHA256>` entries over
 * `<svix-id>.<svix-timestamp>.<raw body>`, keyed with the base64 part of the `whsec_…` secret.
 * Signatures are checked with `crypto.subtle.verify` (constant time), and timestamps more than
 * five minutes away from now are refused so a captured request cannot be replayed later.
 */
const SVIX_TOLERANCE_MS = 5 * 60 * 1000;

export type SvixProblem = "missing_headers" | "stale_timestamp" | "bad_signature" | "bad_secret";

export interface SvixHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

export async function verifySvix(
  secret: string,
  headers: SvixHeaders,
  rawBody: string,
  now: number,
): Promise<{ ok: true; id: string } | { ok: false; problem: SvixProblem }> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, problem: "missing_headers" };
  const seconds = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - seconds * 1000) > SVIX_TOLERANCE_MS)
    return { ok: false, problem: "stale_timestamp" };

  const keyBytes = decodeBase64(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
  if (!keyBytes || keyBytes.length === 0) return { ok: false, problem: "bad_secret" };
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const content = new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`);

  for (const entry of signature.split(" ")) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) continue;
    const candidate = decodeBase64(value);
    if (candidate && (await crypto.subtle.verify("HMAC", key, candidate, content))) return { ok: true, id };
  }
  return { ok: false, problem: "bad_signature" };
}

function decodeBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}
