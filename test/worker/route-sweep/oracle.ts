/** What must hold for every probe: no 5xx, errors as JSON or a page, and a refused request changes nothing. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { eventually } from "../../support/worker/db";
import { mockCalls } from "../../support/worker/mock";
import { worker } from "../../support/worker/requests";
import { type Probe, requestFor } from "./requests";

/**
 * paperboy's tables, as the schema has them: a table a migration adds is watched without anyone
 * listing it. A table WITHOUT ROWID (readers' delivery groups, papers offered, deliveries) has no
 * rowid to order by.
 */
async function tables(): Promise<{ name: string; rowid: boolean }[]> {
  const { results } = await env.DB.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations' ORDER BY name",
  ).all<{ name: string; sql: string }>();
  return results
    .filter((row) => !OBSERVATIONS.has(row.name))
    .map((row) => ({ name: row.name, rowid: !/WITHOUT\s+ROWID\s*$/i.test(row.sql.trim()) }));
}

/**
 * What the health panel records of what happened, not state a request may change: Hugging Face's
 * last answer (a preview refused because the source listed no papers still heard it answer) and the
 * queue consumer's run records, written in the background.
 */
const OBSERVATIONS = new Set(["service_answers", "runs"]);

/** Every table's row count and a hash of its rows, and how many calls the mock Resend received. */
async function snapshot(): Promise<Record<string, string>> {
  const all = await tables();
  const results = await env.DB.batch(all.map(({ name, rowid }) => env.DB.prepare(`SELECT * FROM ${name}${rowid ? " ORDER BY rowid" : ""}`)));
  const state: Record<string, string> = {};
  for (const [index, { name: table, rowid }] of all.entries()) {
    const rows = results[index]!.results.map((row) => JSON.stringify(row));
    // Rows of a table without rowid come in primary-key order, which a changed row may move: sorted, they compare as a set.
    if (!rowid) rows.sort();
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(rows)));
    state[table] = `${rows.length} rows, ${btoa(String.fromCharCode(...new Uint8Array(digest))).slice(0, 16)}`;
  }
  state["mock Resend calls"] = String((await mockCalls()).length);
  return state;
}

/**
 * Operator endpoints (everything under /admin but the dashboard's pages), JSON senders and clients that accept only JSON get JSON errors; everyone
 * else a page. "Operator endpoint" is judged by the path as the router sees it (percent-escapes
 * decoded), so `/%61dmin/stats` counts.
 */
function expectsJsonError(path: string, headers: Headers): boolean {
  const routed = new URL(`https://paperboy.test${path}`).pathname.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escaped) => {
    try {
      return decodeURI(escaped);
    } catch {
      return escaped;
    }
  });
  // The dashboard's pages and form actions are for browsers; every other path under /admin is an endpoint.
  const dashboardPage = /^\/admin(\/(sign-in|sign-out|preview|dashboard\.js|actions\/[^/]*))?$/.test(routed);
  if (!dashboardPage && (routed === "/admin" || routed.startsWith("/admin/"))) return true;
  if (/^application\/json\b/i.test(headers.get("content-type") ?? "")) return true;
  const accept = headers.get("accept") ?? "";
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

/** How often each route accepted and refused a probe. */
export type Tally = Map<string, { accepted: number; refused: number }>;

/**
 * Waits until mail an earlier, accepted probe asked for has gone out and its sender has let go, and
 * a chunk it re-opened has settled: the Worker's own queue consumer does both in the background,
 * and would otherwise change state while a refused probe is being checked.
 */
async function quiet(): Promise<void> {
  await eventually(
    async () => {
      const row = await env.DB.prepare(
        `SELECT (SELECT COUNT(*) FROM mail_outbox WHERE status IN ('pending', 'sending'))
              + (SELECT COUNT(*) FROM send_roles WHERE lease_until > ?)
              + (SELECT COUNT(*) FROM digest_chunks WHERE status IN ('pending', 'sending'))
              + (SELECT COUNT(*) FROM digests WHERE status IN ('ready', 'sending')) AS busy`,
      )
        .bind(Date.now())
        .first<{ busy: number }>();
      return row?.busy === 0;
    },
    15_000,
    "the outbox to go quiet",
  );
}

export async function checkProbe(probe: Probe, tally: Tally): Promise<void> {
  const { headers, init } = await requestFor(probe);
  await quiet();
  const before = await snapshot();
  const response = await worker(probe.path, init);
  const text = await response.text();
  const after = await snapshot();
  const what = `${probe.method} ${probe.path} (${probe.body.kind} body) → ${response.status}: ${text.slice(0, 200)}`;

  const counts = tally.get(probe.route) ?? { accepted: 0, refused: 0 };
  tally.set(probe.route, counts);
  expect(response.status, what).toBeLessThan(500);
  if (response.status < 400) {
    counts.accepted += 1;
    return;
  }
  counts.refused += 1;

  expect(after, `${what}\nchanged state`).toEqual(before);
  if (probe.method.toUpperCase() === "HEAD") return;
  const type = response.headers.get("content-type") ?? "";
  if (expectsJsonError(probe.path, headers)) {
    expect(type, what).toMatch(/^application\/json/);
    expect(JSON.parse(text), what).toEqual({ error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.stringMatching(/\w/) } });
  } else {
    expect(type, what).toMatch(/^text\/html/);
    expect(text, what).toMatch(/^<!DOCTYPE html>/);
    expect(text, what).toMatch(/<h1>[^<]+<\/h1>/);
  }
}

