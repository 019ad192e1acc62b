// The Worker as `wrangler dev` runs it for the benchmarks: paperboy's own entry point, with the D1
// binding wrapped so that every statement is counted (by the handler that issued it) and
// `GET /__bench/d1` reports the counts; `GET /__bench/events` reports the renders stored per edition
// and each freeze's parts, seen in the statements they run; `POST /__bench/render` and
// `POST /__bench/personalise` time paperboy's rendering and per-recipient personalisation inside
// workerd. Plain JavaScript because the Node-side type check (tsconfig.node.json) does not know the
// Workers types that src/ is written against.
import worker from "../../src/index.ts";
import { parseConfig } from "../../src/config.ts";
import { renderDigest } from "../../src/digest/render.ts";
import { recipientEmails } from "../../src/digest/send-chunk.ts";
import { preferencesUrl, unsubscribeUrl } from "../../src/subscribers/links.ts";

/** origin ("queue", "scheduled", "GET /admin/digests/:date", ...) -> counters */
const stats = new Map();
/** What the pipeline did, read off its statements: renders stored per edition, and every freeze part. */
const events = { renders: {}, freezes: [] };

/**
 * Statements the benchmarks watch, by their SQL (src/digest/renderings.ts and store.ts): a rendering
 * stored (`ensureRenderings`, one INSERT per render) and a freeze part's tally (`frozenStatement`,
 * bound as chunks, recipients, unmatched, missed, through, last slot, now, edition). If that SQL
 * changes, the editions benchmark sees no renders or freezes and fails, rather than guessing.
 */
function observe(sql, values) {
  if (!sql || !values) return;
  if (sql.includes("INSERT INTO digest_renderings")) events.renders[values[0]] = (events.renders[values[0]] ?? 0) + 1;
  else if (sql.includes("frozen_through = MAX("))
    events.freezes.push({ edition: values[7], chunks: values[0], recipients: values[1], unmatched: values[2], through: values[4], at: Date.now() });
}

function counters(origin) {
  let entry = stats.get(origin);
  if (!entry) {
    entry = { statements: 0, roundTrips: 0, batches: 0, rowsRead: 0, rowsWritten: 0 };
    stats.set(origin, entry);
  }
  return entry;
}

/** SQL (whitespace folded) -> rows read and written by it, across origins: where D1's reads go. */
const bySql = new Map();

function tally(entry, meta, sql) {
  entry.rowsRead += meta?.rows_read ?? 0;
  entry.rowsWritten += meta?.rows_written ?? 0;
  if (!sql) return;
  const key = sql.replace(/\s+/g, " ").trim();
  const rows = bySql.get(key) ?? { runs: 0, rowsRead: 0, rowsWritten: 0 };
  rows.runs += 1;
  rows.rowsRead += meta?.rows_read ?? 0;
  rows.rowsWritten += meta?.rows_written ?? 0;
  bySql.set(key, rows);
}

function countingDb(db, origin) {
  const entry = counters(origin);
  const real = new WeakMap();
  const seen = new WeakMap(); // wrapped statement -> [sql, bound values]
  const wrap = (statement, sql, values) => {
    const wrapped = {
      bind: (...bound) => wrap(statement.bind(...bound), sql, bound),
      async first(...args) {
        entry.statements += 1;
        entry.roundTrips += 1;
        if (args.length > 0) return statement.first(...args);
        // Same answer as first(), but with the meta that first() drops.
        const result = await statement.all();
        tally(entry, result.meta, sql);
        return result.results[0] ?? null;
      },
      async all() {
        entry.statements += 1;
        entry.roundTrips += 1;
        const result = await statement.all();
        tally(entry, result.meta, sql);
        return result;
      },
      async run() {
        entry.statements += 1;
        entry.roundTrips += 1;
        const result = await statement.run();
        tally(entry, result.meta, sql);
        observe(sql, values);
        return result;
      },
      async raw(...args) {
        entry.statements += 1;
        entry.roundTrips += 1;
        return statement.raw(...args);
      },
    };
    real.set(wrapped, statement);
    seen.set(wrapped, [sql, values]);
    return wrapped;
  };
  return {
    prepare: (sql) => wrap(db.prepare(sql), sql, null),
    async batch(statements) {
      entry.statements += statements.length;
      entry.roundTrips += 1;
      entry.batches += 1;
      const results = await db.batch(statements.map((statement) => real.get(statement) ?? statement));
      results.forEach((result, index) => tally(entry, result.meta, seen.get(statements[index])?.[0]));
      for (const statement of statements) observe(...(seen.get(statement) ?? []));
      return results;
    },
    exec(sql) {
      entry.statements += 1;
      entry.roundTrips += 1;
      return db.exec(sql);
    },
    dump: () => db.dump(),
    withSession: (...args) => db.withSession(...args),
  };
}

// One wrapped env per origin and binding object, so the Worker's per-env config cache still works.
const wrappedEnvs = new WeakMap();
function envFor(env, origin) {
  let byOrigin = wrappedEnvs.get(env);
  if (!byOrigin) wrappedEnvs.set(env, (byOrigin = new Map()));
  let wrapped = byOrigin.get(origin);
  if (!wrapped) byOrigin.set(origin, (wrapped = { ...env, DB: countingDb(env.DB, origin) }));
  return wrapped;
}

function routeOf(request) {
  const { pathname } = new URL(request.url);
  return `${request.method} ${pathname.replace(/\d{4}-(\d{2}-\d{2}|W\d{2})/g, ":date")}`;
}

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/d1") return Response.json(Object.fromEntries(stats));
    if (pathname === "/__bench/d1/statements") return Response.json([...bySql].map(([sql, rows]) => ({ sql, ...rows })).sort((a, b) => b.rowsRead - a.rowsRead));
    if (pathname === "/__bench/events") return Response.json(events);
    if (pathname === "/__bench/d1/reset" && request.method === "POST") {
      stats.clear();
      bySql.clear();
      events.renders = {};
      events.freezes = [];
      return Response.json({ ok: true });
    }
    if (pathname === "/__bench/render" && request.method === "POST") return benchRender(request, env);
    if (pathname === "/__bench/personalise" && request.method === "POST") return benchPersonalise(request, env);
    return worker.fetch(request, envFor(env, routeOf(request)), ctx);
  },
  scheduled: (controller, env, ctx) => worker.scheduled(controller, envFor(env, "scheduled"), ctx),
  queue: (batch, env, ctx) => worker.queue(batch, envFor(env, "queue"), ctx),
};

function benchConfig(env) {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(`configuration invalid: ${result.problems.join("; ")}`);
  return result.config;
}

/**
 * Body `{ papers, iterations, edition? }` or `{ lists, iterations, edition? }`: renders the digest of
 * `papers` (or each paper list of `lists`) `iterations` times; answers each render's time (for
 * `lists`, every list's in turn) and the sizes of the last one.
 */
async function benchRender(request, env) {
  const { papers, lists, iterations, edition = "2026-11-26" } = await request.json();
  const config = benchConfig(env);
  const times = [];
  let rendered;
  for (let i = 0; i < iterations; i++)
    for (const list of lists ?? [papers]) {
      const started = performance.now();
      rendered = await renderDigest({ edition, papers: list, config });
      times.push(performance.now() - started);
    }
  const bytes = (text) => new TextEncoder().encode(text).length;
  return Response.json({ times, htmlBytes: bytes(rendered.html), textBytes: bytes(rendered.text) });
}

/**
 * Body `{ lists, members, recipients, encode, edition?, cadence? }`: renders each paper list once,
 * then builds every recipient's email with src/digest/send-chunk.ts's own function, in batches of
 * 100 as a chunk does; recipient n gets `members[n % members.length]`, a [list index, topics] pair
 * (the rendering and topics frozen for them). With `encode`, also the JSON of each batch as the
 * Resend SDK sends it. With `part` "tokens" (both links, signed as send-chunk.ts signs them) or
 * "unsubscribe" (that link alone, what a recipient cost before the preferences link), only that
 * part is timed, the same way, for the breakdown. Answers the time taken and three sample emails.
 */
async function benchPersonalise(request, env) {
  const { lists, members, recipients, encode, edition = "2026-11-26", cadence = "daily", part = "emails" } = await request.json();
  const config = benchConfig(env);
  const renderings = new Map();
  for (const [index, papers] of lists.entries()) renderings.set(`list-${index}`, await renderDigest({ edition, papers, config }));
  const started = performance.now();
  let bytes = 0;
  let samples = [];
  for (let start = 1; start <= recipients; start += 100) {
    const ids = Array.from({ length: Math.min(100, recipients - start + 1) }, (_, i) => start + i);
    const batch = ids.map((id) => {
      const [list, topics] = members[(id - 1) % members.length];
      return [id, `reader${id}@bench.example`, 1, `list-${list}`, topics];
    });
    if (part !== "emails") {
      const links = ([id, , tokenVersion]) =>
        part === "tokens" ? Promise.all([unsubscribeUrl(config, { id, tokenVersion }), preferencesUrl(config, { id, tokenVersion })]) : unsubscribeUrl(config, { id, tokenVersion });
      await Promise.all(batch.map(links));
      continue;
    }
    const emails = await recipientEmails(config, renderings, batch, cadence);
    if (encode) bytes += JSON.stringify(emails.map(({ to, ...rest }) => ({ ...rest, to: [to] }))).length;
    if (samples.length === 0) samples = emails.slice(0, 3);
  }
  return Response.json({ ms: performance.now() - started, bytes, samples });
}
