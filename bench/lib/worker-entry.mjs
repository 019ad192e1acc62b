// The Worker as `wrangler dev` runs it for the benchmarks: paperboy's own entry point, with the D1
// binding wrapped so that every statement is counted (by the handler that issued it) and
// `GET /__bench/d1` reports the counts; `POST /__bench/render` and `POST /__bench/personalise`
// time paperboy's rendering and per-recipient personalisation inside workerd. Plain JavaScript because the Node-side type check
// (tsconfig.node.json) does not know the Workers types that src/ is written against.
import worker from "../../src/index.ts";
import { parseConfig } from "../../src/config.ts";
import { renderDigest } from "../../src/digest/render.ts";
import { recipientEmails } from "../../src/digest/send-chunk.ts";

/** origin ("queue", "scheduled", "GET /admin/digests/:date", ...) -> counters */
const stats = new Map();

function counters(origin) {
  let entry = stats.get(origin);
  if (!entry) {
    entry = { statements: 0, roundTrips: 0, batches: 0, rowsRead: 0, rowsWritten: 0 };
    stats.set(origin, entry);
  }
  return entry;
}

function tally(entry, meta) {
  entry.rowsRead += meta?.rows_read ?? 0;
  entry.rowsWritten += meta?.rows_written ?? 0;
}

function countingDb(db, origin) {
  const entry = counters(origin);
  const real = new WeakMap();
  const wrap = (statement) => {
    const wrapped = {
      bind: (...values) => wrap(statement.bind(...values)),
      async first(...args) {
        entry.statements += 1;
        entry.roundTrips += 1;
        if (args.length > 0) return statement.first(...args);
        // Same answer as first(), but with the meta that first() drops.
        const result = await statement.all();
        tally(entry, result.meta);
        return result.results[0] ?? null;
      },
      async all() {
        entry.statements += 1;
        entry.roundTrips += 1;
        const result = await statement.all();
        tally(entry, result.meta);
        return result;
      },
      async run() {
        entry.statements += 1;
        entry.roundTrips += 1;
        const result = await statement.run();
        tally(entry, result.meta);
        return result;
      },
      async raw(...args) {
        entry.statements += 1;
        entry.roundTrips += 1;
        return statement.raw(...args);
      },
    };
    real.set(wrapped, statement);
    return wrapped;
  };
  return {
    prepare: (sql) => wrap(db.prepare(sql)),
    async batch(statements) {
      entry.statements += statements.length;
      entry.roundTrips += 1;
      entry.batches += 1;
      const results = await db.batch(statements.map((statement) => real.get(statement) ?? statement));
      for (const result of results) tally(entry, result.meta);
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
  return `${request.method} ${pathname.replace(/\d{4}-\d{2}-\d{2}/g, ":date")}`;
}

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/d1") return Response.json(Object.fromEntries(stats));
    if (pathname === "/__bench/d1/reset" && request.method === "POST") {
      stats.clear();
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

/** Body `{ papers, iterations }`: renders the digest `iterations` times; answers each render's time and the sizes. */
async function benchRender(request, env) {
  const { papers, iterations } = await request.json();
  const config = benchConfig(env);
  const times = [];
  let rendered;
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    rendered = await renderDigest({ date: "2026-11-26", papers, config });
    times.push(performance.now() - started);
  }
  const bytes = (text) => new TextEncoder().encode(text).length;
  return Response.json({ times, htmlBytes: bytes(rendered.html), textBytes: bytes(rendered.text) });
}

/**
 * Body `{ papers, recipients, encode }`: renders the digest once, then builds every recipient's
 * email with src/digest/send-chunk.ts's own function, in batches of 100 (and, with `encode`, the JSON
 * of each batch as the Resend SDK sends it). Answers the time taken and three sample emails.
 */
async function benchPersonalise(request, env) {
  const { papers, recipients, encode } = await request.json();
  const config = benchConfig(env);
  const rendered = await renderDigest({ date: "2026-11-26", papers, config });
  const started = performance.now();
  let bytes = 0;
  let samples = [];
  for (let start = 1; start <= recipients; start += 100) {
    const ids = Array.from({ length: Math.min(100, recipients - start + 1) }, (_, i) => start + i);
    const emails = await recipientEmails(config, rendered, ids.map((id) => [id, `reader${id}@bench.example`, 1]));
    if (encode) bytes += JSON.stringify(emails.map(({ to, ...rest }) => ({ ...rest, to: [to] }))).length;
    if (samples.length === 0) samples = emails.slice(0, 3);
  }
  return Response.json({ ms: performance.now() - started, bytes, samples });
}
