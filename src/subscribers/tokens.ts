/**
 * Signed, stateless links: `<purpose>.<subscriber>.<version>.<expiry>.<mac>`.
 *
 * The MAC is HMAC-SHA256 over all four fields with SIGNING_SECRET, so a token cannot be
 * moved to another subscriber, another purpose or a later expiry. `version` is the
 * subscriber's token_version: bumping it revokes every token issued before.
 * Verification goes through `crypto.subtle.verify`, which compares in constant time.
 */
import { fromBase64Url, toBase64Url } from "../lib/encoding";

export type TokenPurpose = "confirm" | "unsubscribe" | "preferences";

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: number;
  tokenVersion: number;
  /** Milliseconds since the epoch, or null for a token that never expires. */
  expiresAt: number | null;
}

export type TokenProblem = "malformed" | "forged" | "expired" | "wrong_purpose";
export type TokenResult = { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem };

export const CONFIRM_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const PURPOSE_CODES: Record<TokenPurpose, string> = { confirm: "c", unsubscribe: "u", preferences: "p" };
const PURPOSE_OF: Record<string, TokenPurpose> = Object.fromEntries(Object.entries(PURPOSE_CODES).map(([purpose, code]) => [code, purpose as TokenPurpose]));
const TOKEN_SHAPE = /^([cup])\.(\d{1,15})\.(\d{1,9})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  const payload = encodePayload(claims);
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

/** Checks a token for one of the `expected` purposes (a page a link of several kinds may lead to accepts each). */
export async function verifyToken(
  secret: string,
  token: unknown,
  expected: TokenPurpose | readonly TokenPurpose[],
  now: number,
): Promise<TokenResult> {
  const match = typeof token === "string" ? TOKEN_SHAPE.exec(token) : null;
  if (!match) return { ok: false, problem: "malformed" };
  const [, code, id, version, expiry, mac] = match as unknown as [string, string, string, string, string, string];
  const signature = fromBase64Url(mac);
  // The last character carries two unused bits: accept only the one spelling we issue.
  if (!signature || toBase64Url(signature) !== mac) return { ok: false, problem: "malformed" };

  const payload = `${code}.${id}.${version}.${expiry}`;
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, new TextEncoder().encode(payload));
  if (!valid) return { ok: false, problem: "forged" };

  const purpose = PURPOSE_OF[code]!;
  if (!(typeof expected === "string" ? [expected] : expected).includes(purpose)) return { ok: false, problem: "wrong_purpose" };
  const expiresAt = expiry === "0" ? null : Number(expiry) * 1000;
  if (expiresAt !== null && expiresAt <= now) return { ok: false, problem: "expired" };
  return { ok: true, claims: { purpose, subscriberId: Number(id), tokenVersion: Number(version), expiresAt } };
}

function encodePayload(claims: TokenClaims): string {
  const expiry = claims.expiresAt === null ? 0 : Math.ceil(claims.expiresAt / 1000);
  return `${PURPOSE_CODES[claims.purpose]}.${claims.subscriberId}.${claims.tokenVersion}.${expiry}`;
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}
