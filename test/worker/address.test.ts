import { describe, expect, it } from "vitest";
import { parseEmailAddress } from "../../src/subscribers/address";

const local64 = "a".repeat(64);
const local65 = "a".repeat(65);
/** A domain of `length` characters made of 63-character labels. */
function domainOf(length: number): string {
  const labels: string[] = [];
  let remaining = length - 4; // room for ".com"
  while (remaining > 0) {
    const size = Math.min(63, remaining);
    labels.push("d".repeat(size));
    remaining -= size + 1;
  }
  return `${labels.join(".")}.com`;
}
const at254 = `${local64}@${domainOf(254 - 65)}`;
const at255 = `${local64}@${domainOf(255 - 65)}`;

describe("parseEmailAddress accepts", () => {
  it.each([
    ["a plain address", "reader@example.com", "reader@example.com"],
    ["surrounding whitespace, trimmed", "  reader@example.com \t\n", "reader@example.com"],
    ["upper case, kept in the local part and lowered in the domain", "Reader.Name@Example.COM", "Reader.Name@example.com"],
    ["plus addressing", "reader+papers@example.com", "reader+papers@example.com"],
    ["RFC 5322 atext in the local part", "o'brien_{x}!#$%&*=?^`|~-@example.com", "o'brien_{x}!#$%&*=?^`|~-@example.com"],
    ["a subdomain and a long TLD", "r@mail.example.technology", "r@mail.example.technology"],
    ["an IDN domain, stored as punycode", "reader@bücher.de", "reader@xn--bcher-kva.de"],
    ["a domain already in punycode", "reader@xn--bcher-kva.de", "reader@xn--bcher-kva.de"],
    ["a 64-character local part", `${local64}@example.com`, `${local64}@example.com`],
    ["254 characters in all", at254, at254],
  ])("%s", (_name, input, address) => {
    const result = parseEmailAddress(input);
    expect(result).toEqual({ ok: true, value: { address, key: address.toLowerCase() } });
  });

  it("checks the fixtures are the lengths they claim", () => {
    expect(at254).toHaveLength(254);
    expect(at255).toHaveLength(255);
  });
});

describe("parseEmailAddress rejects", () => {
  it.each([
    ["nothing", ""],
    ["only whitespace", "   \t "],
    ["a missing @", "reader.example.com"],
    ["an empty local part", "@example.com"],
    ["an empty domain", "reader@"],
    ["a domain without a dot", "reader@localhost"],
    ["a 65-character local part", `${local65}@example.com`],
    ["an internationalised local part, which our provider cannot deliver to", "müller@bücher.de"],
    ["255 characters in all", at255],
    ["a 64-character domain label", `reader@${"d".repeat(64)}.com`],
    ["a display name", '"A" <a@b.c>'],
    ["a bare display name", "Reader <reader@example.com>"],
    ["angle brackets alone", "<reader@example.com>"],
    ["a space inside", "read er@example.com"],
    ["a non-breaking space", "reader\u00a0@example.com"],
    ["CR/LF with an injected header", "reader@example.com\r\nBcc: victim@example.com"],
    ["a line feed inside", "reader\n@example.com"],
    ["a NUL byte", "reader\u0000@example.com"],
    ["a zero-width space", "rea\u200bder@example.com"],
    ["a right-to-left override", "reader\u202e@example.com"],
    ["a trailing dot on the domain", "reader@example.com."],
    ["a leading dot on the domain", "reader@.example.com"],
    ["two dots in the domain", "reader@example..com"],
    ["a trailing dot in the local part", "reader.@example.com"],
    ["a leading dot in the local part", ".reader@example.com"],
    ["two dots in the local part", "rea..der@example.com"],
    ["a label starting with a hyphen", "reader@-example.com"],
    ["a label ending with a hyphen", "reader@example-.com"],
    ["an IPv4 domain", "reader@192.168.0.1"],
    ["an IPv4 literal", "reader@[192.168.0.1]"],
    ["an IPv6 literal", "reader@[IPv6:2001:db8::1]"],
    ["a shorthand IPv4 address", "reader@127.1"],
    ["a hexadecimal IPv4 address", "reader@0x7f.0.0.1"],
    ["two @ signs", "reader@home@example.com"],
    ["a quoted local part", '"reader"@example.com'],
    ["a comment", "reader(comment)@example.com"],
    ["a port", "reader@example.com:25"],
    ["two addresses", "a@example.com,b@example.com"],
    ["a list separator", "a@example.com;b@example.com"],
    ["a path after the domain", "reader@example.com/evil"],
    ["a query after the domain", "reader@example.com?x=1"],
    ["a fragment after the domain", "reader@example.com#x"],
    ["percent-encoding in the domain", "reader@%65xample.com"],
    ["a backslash", "reader@example.com\\x"],
    ["an underscore in the domain", "reader@exa_mple.com"],
  ])("%s", (_name, input) => {
    const result = parseEmailAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/\w/);
  });

  it.each([[undefined], [null], [42], [["reader@example.com"]], [{ email: "reader@example.com" }]])(
    "a value that is not a string (%j)",
    (input) => {
      expect(parseEmailAddress(input)).toEqual({ ok: false, reason: "Enter your email address." });
    },
  );

  it("says why, in words a visitor can act on", () => {
    expect(parseEmailAddress("")).toEqual({ ok: false, reason: "Enter your email address." });
    expect(parseEmailAddress("Reader<a@b.c>")).toEqual({ ok: false, reason: "Enter just the address, like name@example.com." });
    expect(parseEmailAddress("a b@c.d")).toEqual({ ok: false, reason: "An email address cannot contain spaces or line breaks." });
    expect(parseEmailAddress(`${local65}@example.com`)).toEqual({
      ok: false,
      reason: "The part before @ can be at most 64 characters.",
    });
    expect(parseEmailAddress(at255)).toEqual({ ok: false, reason: "An email address can be at most 254 characters." });
  });
});

describe("the de-duplication key", () => {
  it("is the same for addresses that differ only in case or IDN spelling", () => {
    const keys = ["Reader@Example.com", "reader@EXAMPLE.COM", "READER@example.com", " reader@example.com "].map((input) => {
      const result = parseEmailAddress(input);
      if (!result.ok) throw new Error(result.reason);
      return result.value.key;
    });
    expect(new Set(keys)).toEqual(new Set(["reader@example.com"]));

    const idn = ["Mueller@Bücher.de", "mueller@xn--bcher-kva.de", "MUELLER@BÜCHER.DE"].map((input) => {
      const result = parseEmailAddress(input);
      if (!result.ok) throw new Error(result.reason);
      return result.value.key;
    });
    expect(new Set(idn)).toEqual(new Set(["mueller@xn--bcher-kva.de"]));
  });

  it("differs for different addresses", () => {
    const a = parseEmailAddress("reader@example.com");
    const b = parseEmailAddress("reader@example.org");
    expect(a.ok && b.ok && a.value.key !== b.value.key).toBe(true);
  });
});
