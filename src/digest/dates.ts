const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The papers day a digest sent at `now` covers: the previous UTC day, whose list on
 * Hugging Face is complete by the morning.
 */
export function digestDateFor(now: number): string {
  return new Date(now - DAY_MS).toISOString().slice(0, 10);
}

/** Until when a day whose source is down keeps being retried: `hour` UTC on the day after it. */
export function deadlineFor(date: string, hour: number): number {
  return Date.parse(`${date}T00:00:00Z`) + DAY_MS + hour * 60 * 60 * 1000;
}
