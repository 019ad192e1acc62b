import { describe, expect, it } from "vitest";
import { toMime } from "../support/mime";
import type { ResendPayload } from "../support/resend-payload";

/** Long lines, trailing spaces, `=`, non-ASCII (2, 3 and 4 bytes) and both kinds of line break. */
const text = `${"Sparse attention = fast ".repeat(8)}\nend with spaces   \r\nnaïve — 𝒪(n²) ${"é".repeat(60)}\n`;
const payload: ResendPayload = {
  from: "paperboy <digest@paperboy.example>",
  to: ["reader@example.com"],
  subject: `paperboy · 26 Nov 2026: ${"Scaling Test-Time Compute Optimally ".repeat(2).trim()}`,
  html: `<p style="margin:0">${text}</p>`,
  text,
  headers: { "List-Unsubscribe": `<https://paperboy.example/unsubscribe?token=${"a".repeat(120)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
};
const date = new Date("2026-11-26T07:00:00Z");

/** Splits a message into its header block (unfolded) and its parts' decoded bodies. */
function parse(message: string) {
  const split = message.indexOf("\r\n\r\n");
  const [head, body] = [message.slice(0, split), message.slice(split + 4)];
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const boundary = /boundary="([^"]+)"/.exec(headers.get("content-type") ?? "")![1]!;
  const parts = body.split(`--${boundary}`).slice(1, -1).map((part) => {
    const split = part.indexOf("\r\n\r\n");
    const [partHead, encoded] = [part.slice(0, split), part.slice(split + 4).replace(/\r\n$/, "")];
    const decoded = partHead.includes("base64")
      ? Buffer.from(encoded.replace(/\r\n/g, ""), "base64").toString("utf8")
      : Buffer.from(encoded.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8");
    return { head: partHead, encoded, decoded };
  });
  return { headers, parts, boundary };
}

function decodeWords(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]+)\?=\s*/g, (_, base64: string) => Buffer.from(base64, "base64").toString("utf8")).trim();
}

describe("toMime", () => {
  for (const encoding of ["quoted-printable", "base64"] as const) {
    it(`round-trips both parts in ${encoding}, text/plain first, with CRLF and lines of at most 76 characters`, () => {
      const message = toMime(payload, { date, encoding });
      const { parts } = parse(message);
      const crlf = (value: string) => value.replace(/\r?\n/g, "\r\n");
      expect(parts.map((part) => /Content-Type: ([^;]+); charset=utf-8/.exec(part.head)?.[1])).toEqual(["text/plain", "text/html"]);
      expect(parts.map((part) => part.decoded)).toEqual([crlf(payload.text), crlf(payload.html)]);
      for (const part of parts) for (const line of part.encoded.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
      expect(message.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      // Quoted-printable never leaves whitespace at the end of a line, where transports strip it.
      if (encoding === "quoted-printable") for (const part of parts) expect(part.encoded).not.toMatch(/[ \t]\r\n/);
    });
  }

  it("encodes a non-ASCII subject as RFC 2047 words, folds headers and keeps the payload's own headers", () => {
    const message = toMime(payload, { date });
    const { headers } = parse(message);
    expect(decodeWords(headers.get("subject")!)).toBe(payload.subject);
    expect(headers.get("from")).toBe(payload.from);
    expect(headers.get("to")).toBe("reader@example.com");
    expect(headers.get("date")).toBe("Thu, 26 Nov 2026 07:00:00 +0000");
    expect(headers.get("mime-version")).toBe("1.0");
    expect(headers.get("list-unsubscribe")).toBe(payload.headers!["List-Unsubscribe"]);
    expect(headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const head = message.slice(0, message.indexOf("\r\n\r\n"));
    // Every header line fits 78 characters unless it is one unbreakable word (the unsubscribe URL).
    for (const line of head.split("\r\n")) if (line.length > 78) expect(line.trim()).not.toContain(" ");
    expect(head).not.toMatch(/[^\x20-\x7e\r\n]/);
  });

  it("adds transport headers only when asked, and gives the same bytes for the same input", () => {
    const plain = toMime(payload, { date });
    expect(plain).not.toMatch(/^(Message-ID|Received|DKIM-Signature):/im);
    expect(toMime(payload, { date })).toBe(plain);
    const relayed = toMime(payload, { date, messageId: "abc@example.com", received: ["from a by b; Thu, 26 Nov 2026 07:00:01 +0000"] });
    expect(relayed).toMatch(/^Received: from a by b;/);
    expect(relayed).toMatch(/\r\nMessage-ID: <abc@example\.com>\r\n/);
  });

  it("refuses header values that would inject headers", () => {
    expect(() => toMime({ ...payload, headers: { "X-Test": "a\r\nBcc: someone@example.com" } })).toThrow(/line break/);
    expect(() => toMime({ ...payload, subject: "hi\nBcc: x@example.com" })).toThrow(/line break/);
  });
});
