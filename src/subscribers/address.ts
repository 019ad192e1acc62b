/**
 * Email address validation for sign-ups.
 *
 * Deliberately stricter than RFC 5321: no quoted local parts, comments or display names,
 * because each of those is far more often a typo or an injection attempt than a real inbox.
 * Internationalised domains are accepted and stored in their ASCII (punycode) form, which
 * every mail provider can deliver to. Local parts stay ASCII: Resend (on Amazon SES) cannot
 * deliver to internationalised local parts (RFC 6531), and refusing one at sign-up beats a
 * confirmation email that silently never arrives.
 */
interface EmailAddress {
  /** The address we send to: local part as typed, domain in ASCII. */
  address: string;
  /** Lower-cased form used to find duplicates. */
  key: string;
}

export type AddressResult = { ok: true; value: EmailAddress } | { ok: false; reason: string };

const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;
// RFC 5322 atext, dot-separated.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]+(?<!-)$/;
const CONTROL_OR_SPACE = /[\s\p{Cc}\p{Cf}]/u;

export function parseEmailAddress(input: unknown): AddressResult {
  if (typeof input !== "string") return fail("Enter your email address.");
  const trimmed = input.trim();
  if (trimmed === "") return fail("Enter your email address.");
  if (CONTROL_OR_SPACE.test(trimmed)) return fail("An email address cannot contain spaces or line breaks.");
  if (/[<>"(),;:\\[\]]/.test(trimmed)) return fail("Enter just the address, like name@example.com.");

  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return fail("Enter an address like name@example.com.");
  const local = trimmed.slice(0, at).normalize("NFC");
  const domainInput = trimmed.slice(at + 1);

  if (octets(local) > MAX_LOCAL_LENGTH) return fail(`The part before @ can be at most ${MAX_LOCAL_LENGTH} characters.`);
  if (!LOCAL_PART.test(local))
    return fail("The part before @ can use only the letters a–z, digits and symbols such as . _ + -.");

  const domain = toAsciiDomain(domainInput);
  if (!domain) return fail("The part after @ is not a valid domain.");

  const address = `${local}@${domain}`;
  if (octets(address) > MAX_ADDRESS_LENGTH) return fail(`An email address can be at most ${MAX_ADDRESS_LENGTH} characters.`);
  return { ok: true, value: { address, key: address.toLowerCase() } };
}

function toAsciiDomain(input: string): string | null {
  if (input.startsWith(".") || input.endsWith(".") || input.includes("..")) return null;
  // The URL parser would end the host at these or percent-decode it: "a@b.com/x" is not "a@b.com".
  if (/[/?#%]/.test(input)) return null;
  let hostname: string;
  try {
    // WHATWG URL parsing applies UTS #46 (IDNA) and lower-cases the host.
    hostname = new URL(`http://${input}/`).hostname;
  } catch {
    return null;
  }
  const labels = hostname.split(".");
  if (labels.length < 2) return null;
  if (labels.some((label) => label.length > MAX_LABEL_LENGTH || !DOMAIN_LABEL.test(label))) return null;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null; // an IP address, not a mail domain
  return hostname;
}

function octets(text: string): number {
  return new TextEncoder().encode(text).length;
}

function fail(reason: string): AddressResult {
  return { ok: false, reason };
}
