import { describe, expect, it } from "vitest";
import type { TokenClaims } from "../../src/subscribers/tokens";
import { CONFIRM_TOKEN_TTL_MS, signToken, verifyToken } from "../../src/subscribers/tokens";

const SECRET = "unit-test-secret-0123456789abcdef0123";
const OTHER_SECRET = "another-secret-0123456789abcdef01234";
const NOW = Date.UTC(2026, 10, 27, 8, 0, 0);
const EXPIRES = NOW + CONFIRM_TOKEN_TTL_MS;

const confirmClaims: TokenClaims = { purpose: "confirm", subscriberId: 42, tokenVersion: 3, expiresAt: EXPIRES };
const unsubscribeClaims: TokenClaims = { purpose: "unsubscribe", subscriberId: 42, tokenVersion: 3, expiresAt: null };

/** Replaces one dot-separated field and keeps the original MAC. */
function withField(token: string, index: number, value: string): string {
  const fields = token.split(".");
  fields[index] = value;
  return fields.join(".");
}

describe("signToken / verifyToken", () => {
  it("round-trips a confirmation token's claims", async () => {
    const token = await signToken(SECRET, confirmClaims);
    expect(await verifyToken(SECRET, token, "confirm", NOW)).toEqual({ ok: true, claims: confirmClaims });
  });

  it("round-trips an unsubscribe token that never expires", async () => {
    const token = await signToken(SECRET, unsubscribeClaims);
    const farFuture = NOW + 50 * 365 * 24 * 60 * 60 * 1000;
    expect(await verifyToken(SECRET, token, "unsubscribe", farFuture)).toEqual({ ok: true, claims: unsubscribeClaims });
  });

  it("only uses characters that survive a URL query and an email client unescaped", async () => {
    const token = await signToken(SECRET, confirmClaims);
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it("rejects a token whose MAC was made with another secret as forged", async () => {
    const token = await signToken(OTHER_SECRET, confirmClaims);
    expect(await verifyToken(SECRET, token, "confirm", NOW)).toEqual({ ok: false, problem: "forged" });
  });

  it("rejects every single-character change to the MAC, including the last character's spare bits", async () => {
    const token = await signToken(SECRET, confirmClaims);
    const macStart = token.lastIndexOf(".") + 1;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const accepted: string[] = [];
    for (let i = macStart; i < token.length; i++) {
      for (const replacement of alphabet) {
        if (replacement === token[i]) continue;
        const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
        if ((await verifyToken(SECRET, tampered, "confirm", NOW)).ok) accepted.push(tampered);
      }
    }
    expect(accepted).toEqual([]);
  });

  it("rejects a MAC made of zeros as forged", async () => {
    const token = await signToken(SECRET, confirmClaims);
    const zeros = withField(token, 4, "A".repeat(43));
    expect(await verifyToken(SECRET, zeros, "confirm", NOW)).toEqual({ ok: false, problem: "forged" });
  });

  it.each([
    ["subscriber id", 1, "43"],
    ["token version", 2, "4"],
    ["expiry, pushed later", 3, String(Math.ceil(EXPIRES / 1000) + 86_400)],
    ["expiry, set to never", 3, "0"],
    ["purpose", 0, "u"],
  ])("rejects a token whose %s was changed as forged", async (_name, index, value) => {
    const token = await signToken(SECRET, confirmClaims);
    const tampered = withField(token, index, value);
    expect(tampered).not.toBe(token);
    const purpose = index === 0 ? "unsubscribe" : "confirm";
    expect(await verifyToken(SECRET, tampered, purpose, NOW)).toEqual({ ok: false, problem: "forged" });
  });

  it("rejects a truncated token as malformed, however much is cut", async () => {
    const token = await signToken(SECRET, confirmClaims);
    for (const length of [0, 1, 10, token.length - 43, token.length - 10, token.length - 1]) {
      expect(await verifyToken(SECRET, token.slice(0, length), "confirm", NOW)).toEqual({ ok: false, problem: "malformed" });
    }
  });

  it.each([
    ["missing", undefined],
    ["not a string", 12345],
    ["an array", ["c.1.1.1.x"]],
    ["of an unknown purpose", `x.1.1.1.${"A".repeat(43)}`],
    ["for a negative id", `c.-1.1.1.${"A".repeat(43)}`],
    ["padded", `c.1.1.1.${"A".repeat(42)}=`],
    ["a MAC with a non-canonical last character", `c.1.1.1.${"A".repeat(42)}B`],
  ])("rejects a token that is %s as malformed", async (_name, token) => {
    expect(await verifyToken(SECRET, token, "confirm", NOW)).toEqual({ ok: false, problem: "malformed" });
  });

  it.each([["x"], ["\n"], [" "], [".x"]])("rejects a genuine token with %j appended as malformed", async (suffix) => {
    const token = await signToken(SECRET, confirmClaims);
    expect(await verifyToken(SECRET, token + suffix, "confirm", NOW)).toEqual({ ok: false, problem: "malformed" });
  });

  it("accepts a confirmation token until the last millisecond before it expires", async () => {
    const expiresAt = Date.UTC(2026, 11, 4, 8, 0, 0); // a whole second, so no rounding
    const token = await signToken(SECRET, { ...confirmClaims, expiresAt });
    expect((await verifyToken(SECRET, token, "confirm", expiresAt - 1)).ok).toBe(true);
    expect(await verifyToken(SECRET, token, "confirm", expiresAt)).toEqual({ ok: false, problem: "expired" });
    expect(await verifyToken(SECRET, token, "confirm", expiresAt + 1)).toEqual({ ok: false, problem: "expired" });
  });

  it("never expires a token earlier than asked: expiry rounds up to the next second", async () => {
    const expiresAt = Date.UTC(2026, 11, 4, 8, 0, 0) + 250;
    const token = await signToken(SECRET, { ...confirmClaims, expiresAt });
    expect((await verifyToken(SECRET, token, "confirm", expiresAt)).ok).toBe(true);
    expect((await verifyToken(SECRET, token, "confirm", expiresAt - 250 + 1000)).ok).toBe(false);
  });

  it("a confirmation link signed now still works after 6 days 23 hours and not after 7 days", async () => {
    const token = await signToken(SECRET, confirmClaims);
    const hour = 60 * 60 * 1000;
    expect((await verifyToken(SECRET, token, "confirm", NOW + CONFIRM_TOKEN_TTL_MS - hour)).ok).toBe(true);
    expect(await verifyToken(SECRET, token, "confirm", NOW + CONFIRM_TOKEN_TTL_MS)).toEqual({ ok: false, problem: "expired" });
  });

  it("rejects a genuine token used for the other purpose", async () => {
    const confirm = await signToken(SECRET, confirmClaims);
    const unsubscribe = await signToken(SECRET, unsubscribeClaims);
    expect(await verifyToken(SECRET, confirm, "unsubscribe", NOW)).toEqual({ ok: false, problem: "wrong_purpose" });
    expect(await verifyToken(SECRET, unsubscribe, "confirm", NOW)).toEqual({ ok: false, problem: "wrong_purpose" });
  });

  it("gives different subscribers, versions and purposes different tokens", async () => {
    const tokens = await Promise.all([
      signToken(SECRET, confirmClaims),
      signToken(SECRET, { ...confirmClaims, subscriberId: 43 }),
      signToken(SECRET, { ...confirmClaims, tokenVersion: 4 }),
      signToken(SECRET, unsubscribeClaims),
      signToken(OTHER_SECRET, confirmClaims),
    ]);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
