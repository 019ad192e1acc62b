/** The digest pipeline as the delivery tests drive it: build today's digest, read its ledger, leave like a reader. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Config } from "../../../src/config";
import { buildDigest } from "../../../src/digest/build";
import { digestDateFor } from "../../../src/digest/dates";
import { unsubscribeUrl } from "../../../src/subscribers/links";
import { hfItems } from "../hf-items";
import type { Delivery } from "../mock-types";
import type { TestSubscriber } from "./db";
import { configureMock } from "./mock";
import { oneClickUnsubscribe } from "./requests";
import type { TestServices } from "./services";

export interface ChunkRow {
  chunk: number;
  status: string;
  attempts: number;
  payload_locked: number;
  last_error: string | null;
  sent_count: number;
}

export async function ledger(date: string): Promise<ChunkRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT chunk, status, attempts, payload_locked, last_error, sent_count FROM digest_chunks WHERE digest_date = ? ORDER BY chunk",
  )
    .bind(date)
    .all<ChunkRow>();
  return results;
}

/** Builds today's digest (for yesterday's papers) and returns its date. */
export async function buildToday(deps: TestServices): Promise<string> {
  const date = digestDateFor(deps.clock.now());
  await configureMock({ papers: { [date]: hfItems(2) } });
  expect(await buildDigest(deps, date)).toMatchObject({ kind: "queued", date });
  return date;
}

/** Leaves through the one-click link every digest carries. */
export async function unsubscribeViaLink(config: Config, subscriber: TestSubscriber): Promise<void> {
  const response = await oneClickUnsubscribe(await unsubscribeUrl(config, { id: subscriber.id, tokenVersion: 1 }));
  expect(response.status).toBe(200);
}

/** The URL in a delivered email's List-Unsubscribe header. */
export const linkOf = (delivery: Delivery) => /^<(.+)>$/.exec(delivery.headers["List-Unsubscribe"] ?? "")?.[1] ?? "";
