/**
 * "Did you mean …?" for an address whose domain looks like a typo of a common mailbox provider's
 * (`reader@gmial.con` → `reader@gmail.com`). Only a hint: the sign-up goes ahead as typed.
 *
 * The matching is @zootools/email-spell-checker's (mailcheck's algorithm) on whole domains. Its
 * second- and top-level guesses are left out: on their own they turn real domains into wrong ones
 * (`ox.ac.uk` → `ox.co.uk`, `gmx.net` → `cox.net`). What it finds is kept only when it reads as a
 * slip of the fingers: same provider with a mistyped ending (`gmail.con`), or a provider name of
 * about the same length starting with the same letter (`gmial`, `yaho`), so short company domains
 * such as `meta.com` or `ibm.com` are not "corrected" to `me.com` or `aim.com`.
 */
import { POPULAR_DOMAINS, run } from "@zootools/email-spell-checker";

/** Mailbox providers: the library's list and the large ones it leaves out (each also counts as correct as it is). */
const MAILBOX_DOMAINS = [
  ...new Set([
    ...POPULAR_DOMAINS,
    ...["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com", "mac.com", "mail.com", "email.com"],
    ...["gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de", "posteo.de", "mail.ru", "yandex.ru", "163.com", "126.com", "naver.com"],
    ...["protonmail.ch", "fastmail.com", "yahoo.co.uk", "hotmail.co.uk", "outlook.de", "hotmail.de", "hotmail.fr", "orange.fr", "free.fr"],
  ]),
];

/** How far (mailcheck's sift3 distance) a domain may be from a provider's: `gmial.con` is 3 from `gmail.com`. */
const DOMAIN_THRESHOLD = 3;

/**
 * The address with its domain corrected, or null when the domain does not look mistyped.
 *
 * @example suggestAddress("Reader2@gmial.con") // "Reader2@gmail.com"
 */
export function suggestAddress(address: string): string | null {
  const at = address.lastIndexOf("@");
  const domain = address.slice(at + 1).toLowerCase();
  if (at <= 0 || MAILBOX_DOMAINS.includes(domain)) return null;
  const found = run({ email: `x@${domain}`, domains: MAILBOX_DOMAINS, domainThreshold: DOMAIN_THRESHOLD, secondLevelDomains: [], topLevelDomains: [] });
  if (!found || !looksLikeSlip(domain, found.domain)) return null;
  return `${address.slice(0, at)}@${found.domain}`;
}

function looksLikeSlip(typed: string, provider: string): boolean {
  const [typedName = "", ...typedEnding] = typed.split(".");
  const [providerName = "", ...providerEnding] = provider.split(".");
  // gmail.de is not a typo of gmail.com the way gmail.con is: another ending must be one keystroke off.
  if (typedName === providerName) return editDistance(typedEnding.join("."), providerEnding.join(".")) <= 1;
  return typedName.length >= 4 && typedName[0] === providerName[0] && providerName.length >= typedName.length - 1;
}

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  return rows[a.length]![b.length]!;
}
