/**
 * arXiv identifiers as Hugging Face uses them: the new style `YYMM.NNNNN`, e.g. "2403.12345"
 * (four digits after the dot until 2014, five since 2015).
 *
 * Old-style ids ("hep-th/9901001") are rejected on purpose: Daily Papers only lists new-style
 * ids, and a slash would break the `/papers/<id>` links we build from them.
 */
const ARXIV_ID = /^(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(?:v[1-9]\d{0,2})?$/;

/**
 * The canonical (unversioned) id, or null when `value` is not an arXiv id.
 * The version is dropped so that "2403.12345v2" and "2403.12345" count as one paper,
 * and links lead to the latest version.
 *
 * @example parseArxivId("2403.12345v2") // "2403.12345"
 */
export function parseArxivId(value: unknown): string | null {
  if (typeof value !== "string") return null;
  return ARXIV_ID.exec(value.trim())?.[1] ?? null;
}
