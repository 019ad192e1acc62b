/**
 * DOMAIN_BLOCKLIST: comma-separated domains; `*.example.com` also matches every subdomain
 * (but not example.com itself). Matching is on the ASCII (punycode) domain, case-insensitive.
 */
export type DomainBlocklist = (domain: string) => boolean;

export function parseBlocklist(value: string | undefined): DomainBlocklist {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim().toLowerCase().replace(/\.$/, "");
    if (!entry) continue;
    if (entry.startsWith("*.")) suffixes.push(entry.slice(1));
    else exact.add(entry);
  }
  return (domain) => {
    const host = domain.toLowerCase();
    return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
  };
}
