/**
 * An address as the pages a link opens show it: enough for its owner to recognise, little for
 * anyone else who sees the page (a forwarded email, a shared screen).
 *
 * @example maskAddress("reader@example.com") // "re•••@example.com"
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 0) return "•••";
  const local = [...address.slice(0, at)];
  const shown = local.length > 4 ? 2 : 1;
  return `${local.slice(0, shown).join("")}•••${address.slice(at)}`;
}
