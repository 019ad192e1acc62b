/** Readers with their own choices and a cron driven by a fake clock, for the tests of editions and local mornings. */
import { env } from "cloudflare:workers";
import { runCron } from "../../../src/jobs/cron";
import type { Preferences } from "../../../src/subscribers/preferences";
import { insertSubscribers, type TestSubscriber } from "./db";
import { drainQueue } from "./queue";
import type { TestServices } from "./services";

/** Active readers who chose `choices` (the rest default: daily, 10 papers, every topic, 07:00 UTC). */
export async function insertReaders(count: number, choices: Partial<Preferences> = {}, tag = "reader"): Promise<TestSubscriber[]> {
  const readers = await insertSubscribers(count, { tag });
  await choose(readers, choices);
  return readers;
}

/** Sets readers' choices straight in D1, as their preference centre would (without stamping a schedule change). */
export async function choose(readers: TestSubscriber[], choices: Partial<Preferences>): Promise<void> {
  const sets = Object.entries({
    cadence: choices.cadence,
    digest_size: choices.size,
    topics: choices.topics && JSON.stringify(choices.topics),
    timezone: choices.timeZone,
    delivery_hour: choices.deliveryHour,
  }).filter(([, value]) => value !== undefined);
  if (sets.length === 0) return;
  await env.DB.prepare(`UPDATE subscribers SET ${sets.map(([column]) => `${column} = ?`).join(", ")} WHERE id IN (SELECT value FROM json_each(?))`)
    .bind(...sets.map(([, value]) => value as string | number), JSON.stringify(readers.map((reader) => reader.id)))
    .run();
}

/** Runs the cron as Cloudflare would at `instant` (the clock moves there first), then delivers what it queued. */
export async function cronAt(deps: TestServices, instant: number): Promise<void> {
  if (instant > deps.clock.now()) deps.clock.advance(instant - deps.clock.now());
  await runCron(deps, instant);
  await drainQueue(deps);
}

/** Every five minutes from `from` to `to` (inclusive), the cron runs and its queue is drained. */
export async function cronEveryFiveMinutes(deps: TestServices, from: number, to: number, between?: (instant: number) => Promise<void>): Promise<void> {
  for (let instant = from; instant <= to; instant += 5 * 60 * 1000) {
    await between?.(instant);
    await cronAt(deps, instant);
  }
}

/** The slot (quarter hour, ms) each reader was frozen in for the edition, by subscriber id; absent when never frozen or nothing matched. */
export async function frozenSlots(edition: string): Promise<Map<number, number>> {
  const { results } = await env.DB.prepare(
    "SELECT d.subscriber_id AS id, c.slot FROM deliveries d JOIN digest_chunks c ON c.edition = d.edition AND c.chunk = d.chunk WHERE d.edition = ?",
  )
    .bind(edition)
    .all<{ id: number; slot: number }>();
  return new Map(results.map((row) => [row.id, row.slot]));
}
