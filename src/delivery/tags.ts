import type { EmailTag } from "./mailer";

/** Resend's rule for a tag's name and value. */
const TAG_TEXT = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Why Resend would refuse these tags, or null when it takes them. Mailers that do not call Resend
 * (the local outbox) refuse what it would, so a bad tag shows up before production.
 *
 * @example tagProblem([{ name: "edition", value: "2026-12-03" }]) // null
 */
export function tagProblem(tags: readonly EmailTag[] | undefined): string | null {
  for (const tag of tags ?? []) {
    if (!TAG_TEXT.test(tag.name)) return `Invalid tag name ${JSON.stringify(tag.name)}: only ASCII letters, numbers, underscores and dashes, at most 256 characters.`;
    if (!TAG_TEXT.test(tag.value)) return `Invalid tag value ${JSON.stringify(tag.value)}: only ASCII letters, numbers, underscores and dashes, at most 256 characters.`;
  }
  return null;
}
