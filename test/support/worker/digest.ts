/** The digest pipeline as the delivery tests drive it: build today's edition, freeze it at the readers' morning, read its ledger, leave like a reader. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Config } from "../../../src/config";
import { buildDigest } from "../../../src/digest/build";
import { freezeDueReaders } from "../../../src/digest/freeze";
import { slotFor } from "../../../src/digest/schedule";
import { findDigest } from "../../../src/digest/store";
import { unsubscribeUrl } from "../../../src/subscribers/links";
import { hfItems } from "../hf-items";
import type { Delivery } from "../mock-types";
import type { TestSubscriber } from "./db";
import { configureMock } from "./mock";
import { drainQueue } from "./queue";
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

export async function ledger(edition: string): Promise<ChunkRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT chunk, status, attempts, payload_locked, last_error, sent_count FROM digest_chunks WHERE edition = ? ORDER BY chunk",
  )
    .bind(edition)
    .all<ChunkRow>();
  return results;
}

/** The UTC day before the instant: the daily edition built that morning. */
export const yesterdayOf = (now: number) => new Date(now - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

/**
 * Builds today's daily edition (yesterday's papers), moves the clock on to the morning of every
 * active reader (the latest of their slots) and freezes them there, as the cron's quarter-hour
 * run would: the chunks are queued, and readers who leave or join from now on do not change them.
 * Returns the edition.
 */
export async function buildToday(deps: TestServices): Promise<string> {
  const edition = yesterdayOf(deps.clock.now());
  await configureMock({ papers: { [edition]: hfItems(2) } });
  expect(await buildDigest(deps, edition)).toMatchObject({ kind: "ready", edition });
  deps.queue.pending = deps.queue.pending.filter((message) => message.body.kind !== "freeze");
  await freezeAtReadersMorning(deps, edition);
  return edition;
}

/** Moves the clock to the last active reader's slot for the edition and freezes everyone due. */
export async function freezeAtReadersMorning(deps: TestServices, edition: string): Promise<void> {
  await advanceToReadersMorning(deps, edition);
  await freezeDueReaders(deps, edition);
}

/** Moves the clock to the last active reader's slot for the edition (or leaves it, when that has passed); returns the instant. */
export async function advanceToReadersMorning(deps: TestServices, edition: string): Promise<number> {
  const digest = await findDigest(env.DB, edition);
  const { results } = await env.DB.prepare("SELECT DISTINCT timezone, delivery_hour FROM subscribers WHERE status = 'active'").all<{
    timezone: string;
    delivery_hour: number;
  }>();
  const slots = results.map((row) => slotFor(edition, row.timezone, row.delivery_hour));
  const morning = Math.max(digest!.readyAt!, deps.clock.now(), ...slots);
  deps.clock.advance(morning - deps.clock.now());
  return morning;
}

/** Leaves through the one-click link every digest carries. */
export async function unsubscribeViaLink(config: Config, subscriber: TestSubscriber): Promise<void> {
  const response = await oneClickUnsubscribe(await unsubscribeUrl(config, { id: subscriber.id, tokenVersion: 1 }));
  expect(response.status).toBe(200);
}

/** The URL in a delivered email's List-Unsubscribe header. */
export const linkOf = (delivery: Delivery) => /^<(.+)>$/.exec(delivery.headers["List-Unsubscribe"] ?? "")?.[1] ?? "";

/** The Idempotency-Key each chunk of the edition is sent under, `digest/<edition>/<slot>/<chunk>`, by chunk number. */
export async function chunkKeys(edition: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT chunk, slot FROM digest_chunks WHERE edition = ? ORDER BY chunk").bind(edition).all<{ chunk: number; slot: number }>();
  return results.map((row) => `digest/${edition}/${new Date(row.slot).toISOString().slice(0, 16)}Z/${row.chunk}`);
}

/** Freezes the readers at their morning, as `freezeAtReadersMorning`, and delivers every queued message. */
export async function sendAtReadersMorning(deps: TestServices, edition: string): Promise<void> {
  await freezeAtReadersMorning(deps, edition);
  await drainQueue(deps);
}

export interface RenderingRow {
  key: string;
  paper_ids: string;
  subject: string;
  html: string;
  text: string;
}

/** The emails an edition was rendered as (one per distinct paper list), by key. */
export async function renderingsOf(edition: string): Promise<RenderingRow[]> {
  const { results } = await env.DB.prepare("SELECT key, paper_ids, subject, html, text FROM digest_renderings WHERE edition = ? ORDER BY key")
    .bind(edition)
    .all<RenderingRow>();
  return results;
}
