/**
 * Compares two secrets without leaking where they differ: both sides are MACed with a
 * one-off key and the MACs are checked by `crypto.subtle.verify`, which runs in constant time.
 */
export async function timingSafeEqual(presented: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const key = (await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"])) as CryptoKey;
  const expectedMac = await crypto.subtle.sign("HMAC", key, encoder.encode(expected));
  return crypto.subtle.verify("HMAC", key, expectedMac, encoder.encode(presented));
}
