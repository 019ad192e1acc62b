/**
 * Keeps a short lease alive while `work` runs: a consumer that dies stops renewing, and another can
 * take the work over within one lease, while a live consumer in a slow call is never overtaken.
 */
export async function whileLeased<T>(renew: () => Promise<unknown>, everyMs: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void renew().catch(() => {}), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** How long a claim on a chunk or a batch lasts without renewal, and how often a live sender renews it. */
export const LEASE = { durationMs: 10_000, renewEveryMs: 3_000 } as const;
