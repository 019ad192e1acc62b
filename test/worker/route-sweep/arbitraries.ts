/** The building blocks of probes: methods, addresses, tokens, dates, paths, bodies, headers. */
import fc from "fast-check";
import { ADMIN_TOKEN } from "../../support/worker/requests";
import { BOUNDARY, type BodySpec, type MultipartFault, type SvixSpec } from "./requests";
import { PREVIEW_ONLY, PREVIEW_ONLY_WEEK, PUBLISHED, PUBLISHED_WEEK, SEEN_WEBHOOK, SKIPPED, WITH_UNKNOWN_CHUNKS } from "./seed";

const KB16 = 16 * 1024;

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
// The other methods workerd lets a Request carry (it refuses unknown ones), and lower-case spellings.
const ODD_METHODS = ["PROPFIND", "PURGE", "QUERY", "MKCOL", "SEARCH", "TRACE", "COPY", "get", "patch", "propfind"];
export const anyMethod = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) },
);

/** `fc.oneof` for a union type, so each alternative may produce a different member. */
export function oneOf<T>(...arbitraries: fc.MaybeWeightedArbitrary<T>[]): fc.Arbitrary<T> {
  return fc.oneof(...arbitraries);
}

export const asciiText = (maxLength: number) => fc.string({ maxLength });
export const anyText = (maxLength: number) => fc.string({ unit: "binary", maxLength });

/** Addresses, valid-looking or not, that stay in the example.com / example.org space. */
export function emailArb(seeded: string[]): fc.Arbitrary<string> {
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
export function tokenArb(right: string[], wrong: string[]): fc.Arbitrary<string> {
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
export function queryValue(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: value.map(encodeURIComponent) },
    { weight: 1, arbitrary: value },
    { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%ED%A0%80", "%C3", "+%2B+", "a%26token%3Db") },
  );
}

const calendarDay = fc
  .date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
/** An ISO week, real or not (week 53 exists in some years only); never the preview day's, whose papers nothing may send. */
const isoWeek = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 54 }))
  .map(([year, week]) => `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`)
  .filter((week) => week !== PREVIEW_ONLY_WEEK);
/** Edition names: days and ISO weeks, seeded, arbitrary and malformed. */
export const dateArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PUBLISHED, PUBLISHED_WEEK, SKIPPED, PREVIEW_ONLY, WITH_UNKNOWN_CHUNKS, "2024-02-29", "2026-W53") },
  { weight: 2, arbitrary: calendarDay },
  { weight: 1, arbitrary: isoWeek },
  { weight: 1, arbitrary: fc.constantFrom("2025-W53", "2026-W00", "2026-W5", "2026-w02", "2026W02", "2026-W02-1", "2026-W020") },
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
export const pathVariant = fc.oneof(
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


export function anyBodyArb(
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

export const svixArb: fc.Arbitrary<SvixSpec> = oneOf<SvixSpec>(
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

export const contentTypeArb = fc.oneof(
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
export const headersArb = (adminWeight: number) =>
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
        // A browser submitting a form: answered with a redirect (Post/Redirect/Get).
        { weight: 2, arbitrary: fc.constant({ "sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate", origin: "https://paperboy.test" }) },
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
