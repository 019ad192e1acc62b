/**
 * A property-based sweep over every route: random methods, paths, content types, bodies and
 * headers, thrown at the Worker entry point. Whatever arrives, nothing answers 5xx, every error
 * is a JSON error or an HTML page, and a rejected request leaves D1 and the mock Resend as they were.
 *
 * The mock stays healthy throughout, so no 5xx is ever expected. The seed is fixed; fast-check
 * prints it, the path to the failing case and the shrunk request when a property fails.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PLACEHOLDERS } from "../../src/presentation/render-email";
import { addressHash } from "../../src/subscribers/privacy";
import { CONFIRM_TOKEN_TTL_MS, signToken } from "../../src/subscribers/tokens";
import { signSvix } from "../support/svix";
import { hfItems } from "../support/hf-items";
import { makePaper } from "../fixtures/papers";
import { insertSubscribers, type TestSubscriber } from "../support/worker/db";
import { mockCalls, resetMock } from "../support/worker/mock";
import { ADMIN_TOKEN, worker } from "../support/worker/requests";
import { testConfig } from "../support/worker/services";

const SEED = 20_261_126;
const SWEEP_RUNS = 500;
const KB16 = 16 * 1024;
const BOUNDARY = "----paperboy-sweep-7d1f";

const config = testConfig();
const SIGNING_SECRET = config.signingSecret;
const WEBHOOK_SECRET = config.resendWebhookSecret!;

// ---------------------------------------------------------------------------------------------
// What the sweep starts from: subscribers in every status, published and skipped digests, a
// webhook already seen, a suppressed address, an outbox row. Storage is this file's own.

const PUBLISHED = ["2026-01-05", "2026-01-06"];
const SKIPPED = "2026-01-07";
/**
 * The one day the mock Hugging Face lists papers for, so previews render. Nothing may send it:
 * a queued digest would be delivered by the Worker's own consumer in the background, changing
 * state while a later probe is being checked.
 */
const PREVIEW_ONLY = "2026-03-02";
const SEEN_WEBHOOK = "msg_already_seen";

interface Seeded {
  subscribers: TestSubscriber[];
  /**
   * Real tokens: confirmation links within their week, unsubscribe links, and ones that cannot
   * work (expired, revoked, for a stranger, signed with another secret).
   */
  tokens: { confirm: string[]; unsubscribe: string[]; dead: string[] };
}

async function seed(): Promise<Seeded> {
  const now = Date.now();
  const subscribers = [
    ...(await insertSubscribers(4, { status: "active", tag: "sweep-active" })),
    ...(await insertSubscribers(3, { status: "pending", tag: "sweep-pending" })),
    ...(await insertSubscribers(3, { status: "unsubscribed", tag: "sweep-left" })),
    ...(await insertSubscribers(2, { status: "active", tag: "sweep-bounced" })),
    ...(await insertSubscribers(1, { status: "active", tag: "sweep-complained" })),
  ];
  await env.DB.batch([
    env.DB.prepare("UPDATE subscribers SET status = 'bounced', bounced_at = ?1 WHERE email LIKE 'sweep-bounced-%'").bind(now),
    env.DB.prepare("UPDATE subscribers SET status = 'complained', complained_at = ?1 WHERE email LIKE 'sweep-complained-%'").bind(now),
    env.DB.prepare("UPDATE subscribers SET token_version = 3 WHERE id = ?").bind(subscribers[0]!.id),
    ...PUBLISHED.map((date, index) => {
      const papers = [makePaper({ title: `Paper of ${date}` }), makePaper()];
      return env.DB.prepare(
        `INSERT INTO digests (date, status, subject, papers, html, text, sample, frozen_at, chunk_count, recipient_count, created_at, updated_at, completed_at)
         VALUES (?1, 'sent', ?2, ?3, ?4, ?5, 0, ?6, 1, 4, ?6, ?6, ?6)`,
      ).bind(
        date,
        `paperboy · ${date}`,
        JSON.stringify(papers),
        `<a href="${PLACEHOLDERS.unsubscribeUrl}">Unsubscribe</a>`,
        `Unsubscribe: ${PLACEHOLDERS.unsubscribeUrl}`,
        now - index,
      );
    }),
    env.DB.prepare(
      `INSERT INTO digests (date, status, skip_reason, created_at, updated_at, completed_at) VALUES (?1, 'skipped', 'no papers listed for this day', ?2, ?2, ?2)`,
    ).bind(SKIPPED, now),
    env.DB.prepare(
      `INSERT INTO digest_chunks (digest_date, chunk, after_id, last_id, status, attempts, sent_count, updated_at, sent_at) VALUES (?1, 0, 0, 100, 'sent', 1, 4, ?2, ?2)`,
    ).bind(PUBLISHED[0], now),
    env.DB.prepare("INSERT INTO sent_papers (paper_id, digest_date) VALUES ('2601.00001', ?)").bind(PUBLISHED[0]),
    env.DB.prepare("INSERT INTO webhook_events (id, type, received_at) VALUES (?, 'email.delivered', ?)").bind(SEEN_WEBHOOK, now),
    env.DB.prepare("INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, 'deleted_by_subscriber', ?)").bind(
      await addressHash(SIGNING_SECRET, "erased@example.org"),
      now,
    ),
    env.DB.prepare(
      `INSERT INTO outbox (created_at, idempotency_key, sender, recipient, subject, headers, html, text) VALUES (?, 'seed', 'a@example.org', 'b@example.org', 'Hi', '{}', '<p>Hi</p>', 'Hi')`,
    ).bind(now),
  ]);

  const tokens: Seeded["tokens"] = { confirm: [], unsubscribe: [], dead: [] };
  const sign = (secret: string, purpose: "confirm" | "unsubscribe", subscriberId: number, tokenVersion: number, expiresAt: number | null) =>
    signToken(secret, { purpose, subscriberId, tokenVersion, expiresAt });
  for (const { id } of subscribers) {
    const version = id === subscribers[0]!.id ? 3 : 1;
    tokens.confirm.push(await sign(SIGNING_SECRET, "confirm", id, version, now + CONFIRM_TOKEN_TTL_MS));
    tokens.unsubscribe.push(await sign(SIGNING_SECRET, "unsubscribe", id, version, null));
    tokens.dead.push(
      await sign(SIGNING_SECRET, "confirm", id, version, now - 1000),
      await sign(SIGNING_SECRET, "unsubscribe", id, version + 1, null),
    );
  }
  tokens.dead.push(
    await sign(SIGNING_SECRET, "unsubscribe", 987_654, 1, null),
    await sign(SIGNING_SECRET, "confirm", 987_654, 1, now + CONFIRM_TOKEN_TTL_MS),
    await sign("another-signing-secret-0123456789", "unsubscribe", subscribers[0]!.id, 3, null),
  );
  return { subscribers, tokens };
}

// ---------------------------------------------------------------------------------------------
// What a request is made of. Bodies are described, not built, so a failing case prints small.

type MultipartFault = "none" | "wrong-boundary" | "unterminated" | "no-boundary";

type BodySpec =
  | { kind: "none" }
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: number[] }
  | { kind: "json"; value: unknown }
  | { kind: "deep"; depth: number; object: boolean }
  | { kind: "form"; fields: [string, string][] }
  | { kind: "multipart"; fields: [string, string][]; fault: MultipartFault }
  | { kind: "huge"; bytes: number; as: "json" | "form" | "raw" };

type SvixSpec =
  | { kind: "none" }
  | { kind: "garbage"; id: string; timestamp: string; signature: string }
  | { kind: "signed"; id: string; skewSeconds: number; spoiled: boolean };

interface Probe {
  route: string;
  method: string;
  path: string;
  body: BodySpec;
  /** "natural" sends the type that matches the body. */
  contentType: string | null | "natural";
  headers: Record<string, string>;
  svix: SvixSpec;
}

function buildBody(spec: BodySpec): { body?: string | Uint8Array; type?: string } {
  switch (spec.kind) {
    case "none":
      return {};
    case "text":
      return { body: spec.text, type: "text/plain" };
    case "bytes":
      return { body: new Uint8Array(spec.bytes), type: "application/octet-stream" };
    case "json":
      return { body: JSON.stringify(spec.value) ?? "undefined", type: "application/json" };
    case "deep": {
      const [open, close] = spec.object ? ['{"email":', "}"] : ["[", "]"];
      return { body: `${open.repeat(spec.depth)}"deep@example.com"${close.repeat(spec.depth)}`, type: "application/json" };
    }
    case "form":
      return { body: new URLSearchParams(spec.fields).toString(), type: "application/x-www-form-urlencoded" };
    case "multipart": {
      const boundary = spec.fault === "wrong-boundary" ? "not-the-boundary" : BOUNDARY;
      const parts = spec.fields.map(
        ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      );
      const body = parts.join("") + (spec.fault === "unterminated" ? "" : `--${boundary}--\r\n`);
      return { body, type: spec.fault === "no-boundary" ? "multipart/form-data" : `multipart/form-data; boundary=${BOUNDARY}` };
    }
    case "huge": {
      if (spec.as === "raw") return { body: "x".repeat(spec.bytes), type: "text/plain" };
      const head = spec.as === "json" ? '{"email":"huge@example.com","pad":"' : "email=huge%40example.com&pad=";
      const tail = spec.as === "json" ? '"}' : "";
      const pad = "x".repeat(Math.max(0, spec.bytes - head.length - tail.length));
      return { body: head + pad + tail, type: spec.as === "json" ? "application/json" : "application/x-www-form-urlencoded" };
    }
  }
}

/** The request a probe describes; svix signatures are made now, over the body as sent. */
async function requestFor(probe: Probe): Promise<{ headers: Headers; init: RequestInit }> {
  const headers = new Headers(probe.headers);
  const bodyless = ["GET", "HEAD"].includes(probe.method.toUpperCase());
  const { body, type } = bodyless ? {} : buildBody(probe.body);
  const contentType = probe.contentType === "natural" ? type : probe.contentType;
  if (contentType !== undefined && contentType !== null) headers.set("content-type", contentType);
  const svix = probe.svix;
  if (svix.kind === "garbage") {
    headers.set("svix-id", svix.id);
    headers.set("svix-timestamp", svix.timestamp);
    headers.set("svix-signature", svix.signature);
  } else if (svix.kind === "signed") {
    const timestamp = Math.floor(Date.now() / 1000) + svix.skewSeconds;
    const raw = typeof body === "string" ? body : new TextDecoder().decode(body ?? new Uint8Array());
    const signature = await signSvix(WEBHOOK_SECRET, svix.id, timestamp, raw);
    headers.set("svix-id", svix.id);
    headers.set("svix-timestamp", String(timestamp));
    // A valid signature after a junk entry, or a spoiled one next to an unknown version.
    headers.set("svix-signature", svix.spoiled ? `v1,${signature.slice(3, -4)}AAA= v2,x` : `v1,bm90IGl0 ${signature}`);
  }
  return { headers, init: { method: probe.method, headers, ...(body === undefined ? {} : { body }) } };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
// The other methods workerd lets a Request carry (it refuses unknown ones), and lower-case spellings.
const ODD_METHODS = ["PROPFIND", "PURGE", "QUERY", "MKCOL", "SEARCH", "TRACE", "COPY", "get", "patch", "propfind"];
const anyMethod = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) },
);

/** `fc.oneof` for a union type, so each alternative may produce a different member. */
function oneOf<T>(...arbitraries: fc.MaybeWeightedArbitrary<T>[]): fc.Arbitrary<T> {
  return fc.oneof(...arbitraries);
}

const asciiText = (maxLength: number) => fc.string({ maxLength });
const anyText = (maxLength: number) => fc.string({ unit: "binary", maxLength });

/** Addresses, valid-looking or not, that stay in the example.com / example.org space. */
function emailArb(seeded: string[]): fc.Arbitrary<string> {
  const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
  const domain = fc.constantFrom("example.com", "example.org", "EXAMPLE.COM", "mail.example.org");
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`) },
    { weight: 2, arbitrary: fc.constantFrom(...seeded, ...seeded.map((e) => e.toUpperCase()), "erased@example.org") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        " ",
        "@example.com",
        "reader@",
        "reader.example.com",
        "a@b@example.com",
        `${"a".repeat(65)}@example.com`,
        `reader@${"a".repeat(250)}.example.com`,
        '"Reader" <reader@example.com>',
        "reader@example.com\r\nBcc: other@example.org",
        "reader@example.com.",
        "reader@[127.0.0.1]",
        "rëader@example.com",
        "reader@exämple.com",
        "reader@example.com/x",
        "reader+tag@example.org",
      ),
    },
    { weight: 2, arbitrary: anyText(30).map((text) => `${text.replace(/@/g, "")}@example.com`) },
    { weight: 1, arbitrary: anyText(30).map((text) => text.replace(/@/g, "")) },
  );
}

/** Mostly real tokens for the route's purpose; also real ones for the other purpose or that cannot work, mangled ones and junk. */
function tokenArb(right: string[], wrong: string[]): fc.Arbitrary<string> {
  const real = fc.constantFrom(...right, ...wrong);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...right) },
    { weight: 3, arbitrary: fc.constantFrom(...wrong) },
    { weight: 2, arbitrary: fc.tuple(real, fc.nat()).map(([token, n]) => token.slice(0, n % token.length)) },
    { weight: 1, arbitrary: fc.tuple(real, fc.nat()).map(([token, n]) => flipChar(token, n % token.length)) },
    { weight: 1, arbitrary: real.map((token) => `${token}A`) },
    { weight: 1, arbitrary: real.map((token) => token.toUpperCase()) },
    { weight: 1, arbitrary: fc.stringMatching(/^[cu]\.\d{1,16}\.\d{1,10}\.\d{1,13}\.[A-Za-z0-9_-]{40,44}$/) },
    { weight: 2, arbitrary: anyText(60) },
  );
}

function flipChar(text: string, at: number): string {
  const char = text[at] === "A" ? "B" : "A";
  return text.slice(0, at) + char + text.slice(at + 1);
}

/** A value for the query string: encoded, raw, or with broken percent-escapes. */
function queryValue(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: value.map(encodeURIComponent) },
    { weight: 1, arbitrary: value },
    { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%ED%A0%80", "%C3", "+%2B+", "a%26token%3Db") },
  );
}

const calendarDay = fc
  .date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const dateArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PUBLISHED, SKIPPED, PREVIEW_ONLY, "2024-02-29") },
  { weight: 2, arbitrary: calendarDay },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "2026-02-30",
      "2023-02-29",
      "2026-13-01",
      "0000-00-00",
      "2026-1-5",
      "20260105",
      "yesterday",
      "2026-01-05T00:00:00Z",
      "+002026-01-05",
      "99999-01-01",
      "2026-01-05".repeat(300),
      "2026%2D01%2D05",
      "%2026-01-05",
      "..",
      "%",
      "-1",
    ),
  },
  { weight: 1, arbitrary: anyText(20).map(encodeURIComponent) },
);

/** Double slashes, trailing slashes, case changes and percent-encoding of a known path. */
const pathVariant = fc.oneof(
  { weight: 6, arbitrary: fc.constant((path: string) => path) },
  fc.constantFrom<(path: string) => string>(
    (path) => `/${path}`,
    (path) => path.replace(/\/(?=[^/]*$)/, "//"),
    (path) => `${path}/`,
    (path) => path.toUpperCase(),
    (path) => path.replace(/[a-z]/, (char) => `%${char.charCodeAt(0).toString(16)}`),
    (path) => `${path}/..`,
    (path) => `${path};x=1`,
  ),
);

interface RouteFamily {
  route: string;
  weight: number;
  path: fc.Arbitrary<string>;
  /** The methods the route takes; other methods are tried too, less often. */
  methods: string[];
  body: fc.Arbitrary<BodySpec>;
  svix?: fc.Arbitrary<SvixSpec>;
  /** Whether the sweep must get past the route's checks at least once (so it is not only probing the gate). */
  reachable: boolean;
}

function routeFamilies({ subscribers, tokens }: Seeded): { families: RouteFamily[]; anyBody: fc.Arbitrary<BodySpec> } {
  const email = emailArb(subscribers.map((s) => s.email));
  const confirmToken = tokenArb(tokens.confirm, [...tokens.unsubscribe, ...tokens.dead]);
  const unsubscribeToken = tokenArb(tokens.unsubscribe, [...tokens.confirm, ...tokens.dead]);
  const token = fc.oneof(confirmToken, unsubscribeToken);
  const anyValue = fc.jsonValue({ maxDepth: 3 });
  const emailField = fc.oneof({ weight: 4, arbitrary: email }, { weight: 1, arbitrary: anyValue });
  const signupFields = fc.array(
    fc.tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("email", "email", "website", "cf-turnstile-response", "token") },
        { weight: 1, arbitrary: asciiText(12) },
      ),
      fc.oneof(email, token, anyText(40)),
    ),
    { maxLength: 4 },
  );
  const anyBody = anyBodyArb(email, emailField, signupFields, anyValue);
  const noBody = fc.oneof({ weight: 3, arbitrary: fc.constant<BodySpec>({ kind: "none" }) }, { weight: 1, arbitrary: anyBody });

  const signupBody = oneOf<BodySpec>(
    {
      weight: 3,
      arbitrary: fc
        .record({ email: emailField, website: fc.constantFrom(undefined, "", "https://spam.example.com") }, { requiredKeys: ["email"] })
        .map((value) => ({ kind: "json", value })),
    },
    { weight: 2, arbitrary: fc.tuple(email, signupFields).map(([e, rest]) => ({ kind: "form", fields: [["email", e], ...rest] })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(email, fc.constantFrom<MultipartFault>("none", "none", "wrong-boundary", "unterminated", "no-boundary"))
        .map(([e, fault]) => ({ kind: "multipart", fields: [["email", e]], fault })),
    },
    { weight: 1, arbitrary: anyBody },
  );
  const confirmBody = oneOf<BodySpec>(
    { weight: 2, arbitrary: confirmToken.map((t) => ({ kind: "form", fields: [["token", t]] })) },
    { weight: 1, arbitrary: fc.constant({ kind: "none" }) },
    { weight: 1, arbitrary: anyBody },
  );

  const recipients = fc.oneof(email, fc.array(email, { maxLength: 4 }), anyValue);
  const eventData = fc.record(
    {
      to: recipients,
      bounce: fc.record({ type: fc.oneof(fc.constantFrom("Permanent", "Transient", "Undetermined"), anyValue) }, { requiredKeys: [] }),
      email_id: asciiText(10),
    },
    { requiredKeys: ["to"] },
  );
  const eventBody = oneOf<BodySpec>(
    {
      weight: 4,
      arbitrary: fc
        .record({
          type: fc.oneof(
            {
              weight: 4,
              arbitrary: fc.constantFrom(
                "email.bounced",
                "email.complained",
                "email.delivered",
                "email.sent",
                "email.opened",
                "contact.created",
              ),
            },
            { weight: 1, arbitrary: anyValue },
          ),
          created_at: fc.constant("2026-01-05T06:00:00.000Z"),
          data: fc.oneof({ weight: 4, arbitrary: eventData }, { weight: 1, arbitrary: anyValue }),
        })
        .map((value) => ({ kind: "json", value })),
    },
    { weight: 1, arbitrary: anyBody },
  );

  const tokenQuery = (token: fc.Arbitrary<string>) =>
    fc.oneof(
      { weight: 6, arbitrary: queryValue(token).map((t) => `?token=${t}`) },
      { weight: 1, arbitrary: fc.constantFrom("", "?token=", "?token", "?Token=x", "?token=a&token=b") },
      { weight: 1, arbitrary: fc.tuple(queryValue(token), queryValue(token)).map(([a, b]) => `?token=${a}&token=${b}`) },
    );
  const emailSegment = fc.oneof(
    { weight: 3, arbitrary: email.map(encodeURIComponent) },
    { weight: 1, arbitrary: email.map((e) => e.replace(/[/?#]/g, "")) },
  );
  const pageNumber = fc.oneof(
    fc.nat(3).map((n) => String(n + 1)),
    fc.nat().map(String),
    asciiText(8),
    fc.constantFrom("0", "-1", "1e3", "999999", "1000000", "01"),
  );

  const families: RouteFamily[] = [
    {
      route: "pages",
      weight: 2,
      path: fc.constantFrom("/", "/healthz", "/feed.xml"),
      methods: ["GET", "HEAD"],
      body: noBody,
      reachable: true,
    },
    {
      route: "archive",
      weight: 2,
      path: fc.oneof(
        fc.constant("/archive"),
        queryValue(pageNumber).map((page) => `/archive?page=${page}`),
      ),
      methods: ["GET"],
      body: noBody,
      reachable: true,
    },
    { route: "digest page", weight: 2, path: dateArb.map((date) => `/digest/${date}`), methods: ["GET"], body: noBody, reachable: true },
    { route: "subscribe", weight: 6, path: fc.constant("/subscribe"), methods: ["POST"], body: signupBody, reachable: true },
    {
      route: "confirm",
      weight: 3,
      path: tokenQuery(confirmToken).map((q) => `/confirm${q}`),
      methods: ["GET", "POST"],
      body: confirmBody,
      reachable: true,
    },
    {
      route: "unsubscribe",
      weight: 3,
      path: tokenQuery(unsubscribeToken).map((q) => `/unsubscribe${q}`),
      methods: ["GET", "POST"],
      body: noBody,
      reachable: true,
    },
    {
      route: "delete my data",
      weight: 2,
      path: tokenQuery(unsubscribeToken).map((q) => `/unsubscribe/delete${q}`),
      methods: ["POST"],
      body: noBody,
      reachable: true,
    },
    {
      route: "resubscribe",
      weight: 2,
      path: tokenQuery(unsubscribeToken).map((q) => `/resubscribe${q}`),
      methods: ["POST"],
      body: noBody,
      reachable: true,
    },
    {
      // Resend is configured in the tests, so the outbox does not exist: every answer is a 404.
      route: "dev outbox",
      weight: 1,
      path: fc.oneof(
        fc.constant("/dev/outbox"),
        fc.oneof(fc.nat().map(String), asciiText(6).map(encodeURIComponent)).map((id) => `/dev/outbox/${id}`),
      ),
      methods: ["GET"],
      body: noBody,
      reachable: false,
    },
    {
      route: "admin lists",
      weight: 2,
      path: fc.constantFrom(
        "/admin/stats",
        "/admin/subscribers.csv",
        "/admin/stats",
        "/admin/subscribers.csv",
        "/admin",
        "/admin/",
        "/admin/digests",
      ),
      methods: ["GET"],
      body: noBody,
      reachable: true,
    },
    {
      route: "admin subscriber",
      weight: 3,
      path: emailSegment.map((e) => `/admin/subscribers/${e}`),
      methods: ["GET", "DELETE"],
      body: noBody,
      reachable: true,
    },
    {
      route: "admin digest reads",
      weight: 3,
      path: fc
        .tuple(dateArb, fc.constantFrom("", "/preview", "/preview?format=html", "/preview?format=text", "/preview?format=%ZZ", "/other"))
        .map(([date, rest]) => `/admin/digests/${date}${rest}`),
      methods: ["GET"],
      body: noBody,
      reachable: true,
    },
    {
      route: "admin digest actions",
      weight: 3,
      path: fc
        .tuple(
          dateArb.filter((date) => !date.includes(PREVIEW_ONLY)),
          fc.constantFrom("/send", "/retry"),
        )
        .map(([date, action]) => `/admin/digests/${date}${action}`),
      methods: ["POST"],
      body: noBody,
      reachable: true,
    },
    {
      route: "webhooks",
      weight: 6,
      path: fc.oneof(
        { weight: 5, arbitrary: fc.constant("/webhooks/resend") },
        { weight: 1, arbitrary: fc.constantFrom("/webhooks/other", "/webhooks") },
      ),
      methods: ["POST"],
      body: eventBody,
      svix: svixArb,
      reachable: true,
    },
    {
      route: "unknown",
      weight: 2,
      path: fc.oneof(
        fc.webPath().map((path) => (path.startsWith("/") ? path : `/${path}`)),
        anyText(30).map((text) => `/${encodeURIComponent(text)}`),
      ),
      methods: METHODS,
      body: anyBody,
      reachable: false,
    },
  ];
  return { families, anyBody };
}

function anyBodyArb(
  email: fc.Arbitrary<string>,
  emailField: fc.Arbitrary<unknown>,
  fields: fc.Arbitrary<[string, string][]>,
  anyValue: fc.Arbitrary<unknown>,
): fc.Arbitrary<BodySpec> {
  return oneOf<BodySpec>(
    fc.constant({ kind: "none" }),
    anyText(200).map((text) => ({ kind: "text", text })),
    fc
      .tuple(
        fc.constantFrom([], [0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0x7b, 0xff, 0x7d]),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
      )
      .map(([bad, rest]) => ({ kind: "bytes", bytes: [...bad, ...rest] })),
    fc
      .tuple(fc.record({ email: emailField }, { requiredKeys: [] }), fc.dictionary(asciiText(8), anyValue, { maxKeys: 3 }))
      .map(([base, extra]) => ({ kind: "json", value: { ...extra, ...base } })),
    anyValue.map((value) => ({ kind: "json", value })),
    fc.record({ depth: fc.integer({ min: 1, max: 5000 }), object: fc.boolean() }).map((deep) => ({ kind: "deep", ...deep })),
    fields.map((f) => ({ kind: "form", fields: f })),
    fc
      .record({
        fields: fc.tuple(email, fields).map(([e, rest]) => [["email", e], ...rest] as [string, string][]),
        fault: fc.constantFrom<MultipartFault>("none", "wrong-boundary", "unterminated", "no-boundary"),
      })
      .map((m) => ({ kind: "multipart", ...m })),
    fc
      .record({
        bytes: fc.oneof(fc.integer({ min: KB16 - 16, max: KB16 + 16 }), fc.integer({ min: KB16, max: 4 * KB16 })),
        as: fc.constantFrom<"json" | "form" | "raw">("json", "form", "raw"),
      })
      .map((huge) => ({ kind: "huge", ...huge })),
  );
}

const svixArb: fc.Arbitrary<SvixSpec> = oneOf<SvixSpec>(
  { weight: 1, arbitrary: fc.constant({ kind: "none" }) },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: asciiText(20), timestamp: fc.oneof(asciiText(14), fc.nat().map(String)), signature: asciiText(80) })
      .map((garbage) => ({ kind: "garbage", ...garbage })),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({
        id: fc.oneof(fc.constantFrom(SEEN_WEBHOOK, "msg_1", "msg_2", "msg_3"), fc.stringMatching(/^msg_[A-Za-z0-9]{1,24}$/)),
        skewSeconds: fc.oneof(
          { weight: 4, arbitrary: fc.integer({ min: -200, max: 200 }) },
          { weight: 1, arbitrary: fc.constantFrom(-301, 301, -86_400) },
        ),
        spoiled: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      })
      .map((signed) => ({ kind: "signed", ...signed })),
  },
);

const contentTypeArb = fc.oneof(
  fc.constantFrom(
    null,
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "application/jsonp",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-8",
    `multipart/form-data; boundary=${BOUNDARY}`,
    "multipart/form-data; boundary=other",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "text/plain",
    "text/plain;charset=UTF-8",
    "text/csv",
    "application/octet-stream",
  ),
  asciiText(40),
);

/** Request headers; `adminWeight` against 5 is how often the right admin token is sent. */
const headersArb = (adminWeight: number) =>
  fc
    .record({
      authorization: fc.oneof(
        { weight: adminWeight, arbitrary: fc.constant(`Bearer ${ADMIN_TOKEN}`) },
        { weight: 2, arbitrary: fc.constant(undefined) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            `bearer   ${ADMIN_TOKEN}`,
            "Bearer wrong-token",
            `Bearer ${ADMIN_TOKEN}x`,
            `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
            ADMIN_TOKEN,
            "Bearer ",
            `Basic ${btoa(`admin:${ADMIN_TOKEN}`)}`,
            `Bearer ${"A".repeat(4000)}`,
          ),
        },
        { weight: 1, arbitrary: asciiText(40) },
      ),
      site: fc.oneof(
        { weight: 4, arbitrary: fc.constant({}) },
        { weight: 2, arbitrary: fc.constant({ "sec-fetch-site": "same-origin", origin: "https://paperboy.test" }) },
        {
          weight: 3,
          arbitrary: fc.constantFrom<Record<string, string>>(
            { "sec-fetch-site": "none" },
            { "sec-fetch-site": "same-site", origin: "https://www.paperboy.test" },
            { "sec-fetch-site": "cross-site", origin: "https://evil.example.com" },
            { origin: "https://paperboy.test" },
            { origin: "https://evil.example.com" },
            { origin: "null" },
          ),
        },
      ),
      accept: fc.constantFrom<Record<string, string>>(
        {},
        { accept: "application/json" },
        { accept: "text/html,application/xhtml+xml" },
        { accept: "application/json, text/html" },
        { accept: "*/*" },
        { accept: "image/png" },
      ),
      client: fc.constantFrom<Record<string, string>>(
        {},
        {},
        {},
        { "cf-connecting-ip": "203.0.113.7" },
        { "cf-connecting-ip": "not-an-ip" },
      ),
    })
    .map(({ authorization, site, accept, client }): Record<string, string> => ({
      ...(authorization === undefined ? {} : { authorization }),
      ...site,
      ...accept,
      ...client,
    }));

/** Mostly what each route expects, sometimes anything at all. */
function probeArb(families: RouteFamily[], anyBody: fc.Arbitrary<BodySpec>): fc.Arbitrary<Probe> {
  return fc.oneof(
    ...families.map((family) => ({
      weight: family.weight,
      arbitrary: fc.record({
        route: fc.constant(family.route),
        method: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...family.methods) }, { weight: 1, arbitrary: anyMethod }),
        path: fc.tuple(family.path, pathVariant).map(([path, variant]) => {
          const at = path.indexOf("?");
          return at < 0 ? variant(path) : variant(path.slice(0, at)) + path.slice(at);
        }),
        body: fc.oneof({ weight: 4, arbitrary: family.body }, { weight: 1, arbitrary: anyBody }),
        contentType: fc.oneof({ weight: 4, arbitrary: fc.constant("natural" as const) }, { weight: 1, arbitrary: contentTypeArb }),
        headers: headersArb(family.route.startsWith("admin") ? 15 : 3),
        svix: family.svix ?? fc.oneof({ weight: 5, arbitrary: fc.constant<SvixSpec>({ kind: "none" }) }, { weight: 1, arbitrary: svixArb }),
      }),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// What must hold.

const TABLES = ["subscribers", "outbox", "digests", "digest_chunks", "webhook_events", "suppressions", "sent_papers", "send_pacer"];

/** Every table's row count and a hash of its rows, and how many calls the mock Resend received. */
async function snapshot(): Promise<Record<string, string>> {
  const results = await env.DB.batch(TABLES.map((table) => env.DB.prepare(`SELECT * FROM ${table} ORDER BY rowid`)));
  const state: Record<string, string> = {};
  for (const [index, table] of TABLES.entries()) {
    const rows = results[index]!.results;
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(rows)));
    state[table] = `${rows.length} rows, ${btoa(String.fromCharCode(...new Uint8Array(digest))).slice(0, 16)}`;
  }
  state["mock Resend calls"] = String((await mockCalls()).length);
  return state;
}

/**
 * Operator endpoints (everything under /admin), JSON senders and clients that accept only JSON get JSON errors; everyone
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
  if (routed === "/admin" || routed.startsWith("/admin/")) return true;
  if (/^application\/json\b/i.test(headers.get("content-type") ?? "")) return true;
  const accept = headers.get("accept") ?? "";
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

/** How often each route accepted and refused a probe. */
type Tally = Map<string, { accepted: number; refused: number }>;

async function checkProbe(probe: Probe, tally: Tally): Promise<void> {
  const { headers, init } = await requestFor(probe);
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

describe("every route, with whatever arrives", () => {
  let seeded: Seeded;

  beforeAll(async () => {
    await resetMock({ papers: { [PREVIEW_ONLY]: hfItems(3) } });
    seeded = await seed();
    // One request log line per probe would bury a failure; errors still reach the console.
    vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterAll(() => vi.restoreAllMocks());

  it("never answers 5xx, answers errors as JSON or a page, and changes nothing when it refuses", { timeout: 120_000 }, async () => {
    const { families, anyBody } = routeFamilies(seeded);
    const tally: Tally = new Map();
    await fc.assert(
      fc.asyncProperty(probeArb(families, anyBody), (probe) => checkProbe(probe, tally)),
      { seed: SEED, numRuns: SWEEP_RUNS },
    );
    // The sweep must also get past each route's checks, or it only ever probed the gate.
    const summary = Object.fromEntries(families.map(({ route }) => [route, tally.get(route) ?? { accepted: 0, refused: 0 }]));
    for (const family of families) {
      expect(summary[family.route]!.refused, `${family.route}: ${JSON.stringify(summary)}`).toBeGreaterThan(0);
      if (family.reachable) expect(summary[family.route]!.accepted, `${family.route}: ${JSON.stringify(summary)}`).toBeGreaterThan(0);
    }
  });
});

describe("what the sweep found", () => {
  it("answers a form sign-up from a client that accepts only JSON in JSON, like any other API call", async () => {
    const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    const refused = await worker("/subscribe", { method: "POST", headers, body: "email=not-an-address" });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: { code: "invalid_email", message: "Enter an address like name@example.com." } });

    const email = `form-api-${crypto.randomUUID()}@example.com`;
    const accepted = await worker("/subscribe", { method: "POST", headers, body: new URLSearchParams({ email }).toString() });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ status: "pending" });
  });

  it("answers operator paths in JSON however they are spelled", async () => {
    for (const path of ["/%61dmin/stats", "/admin/%73tats", "/%61dmin/digests/2026-02-30"]) {
      const response = await worker(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });
});
