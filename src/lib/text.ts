/**
 * Plain-text helpers for free-form fields (Hugging Face items, subjects, summaries).
 *
 * Everything stays plain text: markup such as `<b>` or `&amp;` is kept literally and escaped
 * by whoever renders it, so a title can never inject HTML into an email.
 */

// Line breaks, tabs, runs of spaces and other control characters all become one space.
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]+/gu;

/**
 * Trimmed text with whitespace collapsed, cut at `maxLength` characters (with "…");
 * null for non-strings and empty results.
 *
 * @example plainText("  Attention\n is   all\tyou need ", 100) // "Attention is all you need"
 */
export function plainText(value: unknown, maxLength: number): string | null {
  if (typeof value !== "string") return null;
  const text = value.replace(WHITESPACE_OR_CONTROL, " ").trim();
  if (text === "") return null;
  return truncateAtWord(text, maxLength);
}

/**
 * At most `maxLength` characters, cut between words and ending with "…" when cut, with no
 * dangling comma, space or opening bracket before the ellipsis. A text without spaces is cut
 * hard, never inside a surrogate pair.
 *
 * @example truncateAtWord("Attention is all you need", 16) // "Attention is…"
 */
export function truncateAtWord(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const room = text.slice(0, maxLength); // leaves one character for the ellipsis
  const lastSpace = room.lastIndexOf(" ");
  let end = lastSpace > 0 ? lastSpace : maxLength - 1;
  if (lastSpace <= 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end).replace(/[\s,;:([{–—-]+$/u, "")}…`;
}

const MAX_URL_LENGTH = 2048;

/**
 * The URL in normalised form if `value` is an absolute http(s) URL without credentials, else null.
 * Anything else (`javascript:`, relative paths, "N/A") would become a broken or unsafe link.
 */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (text === "" || text.length > MAX_URL_LENGTH || /\s/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || !url.hostname) return null;
  return url.href;
}

/** A non-negative whole count, or null when `value` is not one. */
export function count(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** An ISO 8601 timestamp in UTC (`toISOString` form), or null. Requires a date-first ISO string. */
export function isoTimestamp(value: unknown): string | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}(?:T|$)/.test(value)) return null;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** Milliseconds since the epoch as ISO 8601, or null. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
