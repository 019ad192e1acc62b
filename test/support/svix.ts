/** Signs a webhook body the way Svix does for Resend, so tests can send requests that verify. */
export async function signSvix(secret: string, id: string, timestamp: number, rawBody: string): Promise<string> {
  const keyBytes = Uint8Array.from(atob(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret), (char) => char.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}
