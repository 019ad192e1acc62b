/**
 * Turns the JSON payload paperboy hands to Resend (`{ from, to, subject, html, text, headers }`)
 * into the RFC 5322 / MIME message a receiving server would see, so spam filters can be run on
 * exactly what we send. Pure and deterministic: the same payload and options give the same bytes
 * (the date is an option, the boundary a hash of the bodies).
 *
 * Headers a transport adds (Received, DKIM-Signature, Message-ID) are left out unless asked for:
 * Resend and the receiving servers add them, and the test wants to see which rules hinge on them.
 */
import { createHash } from "node:crypto";
import type { ResendPayload } from "./resend-payload";

export interface MimeOptions {
  /** The Date header. Defaults to a fixed instant so the output never depends on the clock. */
  date?: Date;
  /** Body encoding of both parts; quoted-printable keeps the text readable, base64 is the fallback some senders use. */
  encoding?: "quoted-printable" | "base64";
  /** A Message-ID (with or without angle brackets), as Resend's sending service adds one. */
  messageId?: string;
  /** Received header values, newest first, as the relays on the way would add them. */
  received?: string[];
}

const CRLF = "\r\n";
/** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters and MUST within 998. */
const SOFT_LINE = 78;
const HARD_LINE = 998;
/** RFC 2045 §6.7 and §6.8: encoded lines are at most 76 characters. */
const ENCODED_LINE = 76;
/** UTF-8 bytes per RFC 2047 encoded-word: 40 base64 characters, so "Subject: " plus one word stays under 76. */
const WORD_BYTES = 30;
const DEFAULT_DATE = new Date("2026-11-26T07:00:00Z");

export function toMime(payload: ResendPayload, options: MimeOptions = {}): string {
  const encoding = options.encoding ?? "quoted-printable";
  const boundary = `=_paperboy_${createHash("sha256").update(payload.text).update("\0").update(payload.html).digest("hex").slice(0, 32)}`;
  const to = Array.isArray(payload.to) ? payload.to : [payload.to];

  const headers: [string, string][] = [
    ...(options.received ?? []).map((value): [string, string] => ["Received", value]),
    ["From", mailbox(payload.from)],
    ["To", to.map(mailbox).join(", ")],
    ["Subject", unstructured(payload.subject)],
    ["Date", rfc5322Date(options.date ?? DEFAULT_DATE)],
    ...(options.messageId ? [["Message-ID", `<${options.messageId.replace(/^<|>$/g, "")}>`] as [string, string]] : []),
    ["MIME-Version", "1.0"],
    ...Object.entries(payload.headers ?? {}).map(([name, value]): [string, string] => [headerName(name), unstructured(value)]),
    ["Content-Type", `multipart/alternative; boundary="${boundary}"`],
  ];

  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, `Content-Transfer-Encoding: ${encoding}`, "", encodeBody(body, encoding)].join(CRLF);

  return [
    headers.map(([name, value]) => fold(name, value)).join(CRLF),
    "",
    "This is a multi-part message in MIME format.",
    part("text/plain", payload.text),
    part("text/html", payload.html),
    `--${boundary}--`,
    "",
  ].join(CRLF);
}

/** "Thu, 26 Nov 2026 07:00:00 +0000" (RFC 5322 §3.3), always in UTC. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

function headerName(name: string): string {
  if (!/^[!-9;-~]+$/.test(name)) throw new Error(`not a header name: ${JSON.stringify(name)}`);
  return name;
}

/** A header value with no line breaks (they would inject headers), non-ASCII as RFC 2047 encoded-words. */
function unstructured(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`header value with a line break: ${JSON.stringify(value)}`);
  return isAscii(value) ? value : encodedWords(value);
}

/** `Name <address>` or a bare address; only the display name may need encoding. */
function mailbox(value: string): string {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (!match) {
    if (!/^[^<>\s"]+@[^<>\s"]+$/.test(value.trim())) throw new Error(`not a mailbox: ${JSON.stringify(value)}`);
    return value.trim();
  }
  const [, name = "", address] = match;
  if (name === "") return `<${address}>`;
  if (!isAscii(name)) return `${encodedWords(name)} <${address}>`;
  // Specials (RFC 5322 §3.2.3) need a quoted string; plain atoms go as they are.
  const phrase = /^[\w!#$%&'*+\-/=?^`{|}~ ]+$/.test(name) ? name : `"${name.replace(/(["\\])/g, "\\$1")}"`;
  return `${phrase} <${address}>`;
}

/** Base64 encoded-words of at most WORD_BYTES bytes each, never splitting a character, separated by spaces (fold points). */
function encodedWords(value: string): string {
  const words: string[] = [];
  let chunk = "";
  for (const char of value) {
    if (Buffer.byteLength(chunk + char) > WORD_BYTES) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, "utf8").toString("base64")}?=`).join(" ");
}

/** Folds a header at spaces so lines stay within 78 characters where a space allows it (RFC 5322 §2.2.3). */
function fold(name: string, value: string): string {
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of value.split(" ")) {
    // A word too long for any line gets a line of its own, even the first one (folding right after the colon is allowed).
    if (word !== "" && line.length + 1 + word.length > SOFT_LINE) {
      lines.push(line);
      line = "";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  for (const folded of lines)
    if (folded.length > HARD_LINE) throw new Error(`${name} header has a line over ${HARD_LINE} characters`);
  return lines.join(CRLF);
}

function encodeBody(body: string, encoding: "quoted-printable" | "base64"): string {
  const normalised = body.replace(/\r\n?/g, "\n");
  if (encoding === "base64") {
    const base64 = Buffer.from(normalised.replace(/\n/g, CRLF), "utf8").toString("base64");
    return base64.match(new RegExp(`.{1,${ENCODED_LINE}}`, "g"))?.join(CRLF) ?? "";
  }
  return normalised.split("\n").map(quotedPrintableLine).join(CRLF);
}

/**
 * One line of text as quoted-printable (RFC 2045 §6.7): printable ASCII stays, `=` and every
 * other byte become `=XX`, whitespace at the end of the line is encoded, and soft line breaks
 * (`=` at the end) keep every encoded line within 76 characters without splitting a character.
 */
function quotedPrintableLine(line: string): string {
  const tokens: string[] = [];
  for (const char of line) {
    const code = char.codePointAt(0)!;
    const literal = (code >= 33 && code <= 126 && char !== "=") || char === " " || char === "\t";
    tokens.push(literal ? char : hexBytes(char));
  }
  const last = tokens.length - 1;
  if (last >= 0 && (tokens[last] === " " || tokens[last] === "\t")) tokens[last] = hexBytes(tokens[last]!);

  const lines: string[] = [];
  let current = "";
  for (const token of tokens) {
    // Leave room for the soft break's "=" unless this is the line's final token.
    if (current.length + token.length > ENCODED_LINE - 1) {
      lines.push(`${current}=`);
      current = "";
    }
    current += token;
  }
  lines.push(current);
  return lines.join(CRLF);
}

function hexBytes(char: string): string {
  return [...Buffer.from(char, "utf8")].map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

function isAscii(value: string): boolean {
  return /^[\x20-\x7e\t]*$/.test(value);
}
