/** How often each address was mailed, and what that says about exactly-once delivery. */
export function countByRecipient(deliveries: readonly { to: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const delivery of deliveries) counts.set(delivery.to, (counts.get(delivery.to) ?? 0) + 1);
  return counts;
}

/** What exactly once looks like for these readers (or addresses): each of them, once. */
export function exactlyOnce(readers: readonly (string | { email: string })[]): Map<string, number> {
  return new Map(readers.map((reader) => [typeof reader === "string" ? reader : reader.email, 1]));
}

/** Addresses mailed more than once, expected ones never mailed, and mailed ones nobody expected. */
export function deliveryFaults(expected: readonly string[], deliveries: readonly { to: string }[]) {
  const counts = countByRecipient(deliveries);
  const wanted = new Set(expected);
  return {
    duplicates: [...counts.values()].filter((n) => n > 1).length,
    misses: expected.filter((address) => !counts.has(address)).length,
    strangers: [...counts.keys()].filter((address) => !wanted.has(address)).length,
  };
}
