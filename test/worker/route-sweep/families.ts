/** The routes the sweep probes, each with the requests it expects and the paths of the app's route table it covers. */
import fc from "fast-check";
import { anyMethod, anyText, asciiText, contentTypeArb, dateArb, emailArb, headersArb, METHODS, pathVariant, queryValue, svixArb, tokenArb } from "./arbitraries";
import { bodyArbs } from "./bodies";
import { dashboardFamilies } from "./dashboard-families";
import type { BodySpec, Probe, SvixSpec } from "./requests";
import { PREVIEW_ONLY, PREVIEW_ONLY_WEEK, PUBLISHED, PUBLISHED_WEEK, type Seeded, WITH_UNKNOWN_CHUNKS } from "./seed";

export interface RouteFamily {
  route: string;
  weight: number;
  path: fc.Arbitrary<string>;
  /** The methods the route takes; other methods are tried too, less often. */
  methods: string[];
  body: fc.Arbitrary<BodySpec>;
  svix?: fc.Arbitrary<SvixSpec>;
  /** Whether the sweep must get past the route's checks at least once (so it is not only probing the gate). */
  reachable: boolean;
  /** The paths of the app's route table (`app.routes`) this family probes. */
  covers: string[];
}

export function routeFamilies({ subscribers, tokens }: Seeded): { families: RouteFamily[]; anyBody: fc.Arbitrary<BodySpec> } {
  const email = emailArb(subscribers.map((s) => s.email));
  const confirmToken = tokenArb(tokens.confirm, [...tokens.unsubscribe, ...tokens.preferences, ...tokens.dead]);
  const unsubscribeToken = tokenArb(tokens.unsubscribe, [...tokens.confirm, ...tokens.preferences, ...tokens.dead]);
  const preferencesToken = tokenArb(tokens.preferences, [...tokens.confirm, ...tokens.unsubscribe, ...tokens.dead]);
  // Actions take the unsubscribe link of a list mail and the subscription page's link alike.
  const manageToken = tokenArb([...tokens.unsubscribe, ...tokens.preferences], [...tokens.confirm, ...tokens.dead]);
  const token = fc.oneof(confirmToken, unsubscribeToken, preferencesToken);
  const { anyBody, noBody, signupBody, confirmBody, eventBody, importBody, resolutionBody, choicesBody, signInBody, actionBody } = bodyArbs({ subscribers }, email, token, confirmToken);

  const done = fc.constantFrom("", "", "", "&done=confirmed", "&done=unsubscribed", "&done=resubscribed", "&done=%zz", "&done=other");
  const tokenQuery = (token: fc.Arbitrary<string>) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.tuple(queryValue(token), done).map(([t, d]) => `?token=${t}${d}`) },
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
      path: fc.constantFrom("/", "/healthz", "/feed.xml", "/feed/weekly.xml", "/unsubscribe/deleted", "/unsubscribe/deleted?for=good", "/manage/sent"),
      methods: ["GET", "HEAD"],
      body: noBody,
      reachable: true,
      covers: ["/", "/healthz", "/feed.xml", "/feed/weekly.xml", "/unsubscribe/deleted", "/manage/sent"],
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
      covers: ["/archive"],
    },
    {
      route: "digest page",
      weight: 2,
      path: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...PUBLISHED, PUBLISHED_WEEK) }, { weight: 3, arbitrary: dateArb }).map((date) => `/digest/${date}`),
      methods: ["GET"],
      body: noBody,
      reachable: true,
      covers: ["/digest/:date"],
    },
    {
      route: "subscribe",
      weight: 6,
      path: fc.oneof(
        { weight: 4, arbitrary: fc.constant("/subscribe") },
        { weight: 1, arbitrary: queryValue(email).map((e) => `/subscribe?suggestion=${e}`) },
      ),
      methods: ["POST", "POST", "GET"],
      body: signupBody,
      reachable: true,
      covers: ["/subscribe"],
    },
    { route: "manage by email", weight: 3, path: fc.constantFrom("/manage"), methods: ["POST", "GET"], body: signupBody, reachable: true, covers: ["/manage"] },
    {
      route: "preferences",
      weight: 2,
      path: tokenQuery(preferencesToken).map((q) => `/preferences${q}`),
      methods: ["GET", "POST", "POST"],
      body: choicesBody,
      reachable: true,
      covers: ["/preferences"],
    },
    {
      route: "weekly instead",
      weight: 2,
      path: tokenQuery(manageToken).map((q) => `/preferences/weekly${q}`),
      methods: ["POST"],
      body: noBody,
      reachable: true,
      covers: ["/preferences/weekly"],
    },
    {
      route: "confirm",
      weight: 3,
      path: tokenQuery(confirmToken).map((q) => `/confirm${q}`),
      methods: ["GET", "POST"],
      body: confirmBody,
      reachable: true,
      covers: ["/confirm"],
    },
    {
      route: "unsubscribe",
      weight: 3,
      path: tokenQuery(fc.oneof(unsubscribeToken, manageToken)).map((q) => `/unsubscribe${q}`),
      methods: ["GET", "POST"],
      body: noBody,
      reachable: true,
      covers: ["/unsubscribe"],
    },
    {
      route: "delete my data",
      weight: 2,
      path: tokenQuery(manageToken).map((q) => `/unsubscribe/delete${q}`),
      methods: ["GET", "POST"],
      body: noBody,
      reachable: true,
      covers: ["/unsubscribe/delete"],
    },
    {
      route: "resubscribe",
      weight: 2,
      path: tokenQuery(manageToken).map((q) => `/resubscribe${q}`),
      methods: ["POST"],
      body: noBody,
      reachable: true,
      covers: ["/resubscribe"],
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
      covers: ["/dev/outbox", "/dev/outbox/:id{[0-9]+}"],
    },
    {
      route: "admin lists",
      weight: 2,
      path: fc.constantFrom(
        "/admin/stats",
        "/admin/subscribers.csv",
        "/admin/stats",
        "/admin/subscribers.csv",
        "/admin/health",
        "/admin/",
        "/admin/digests",
      ),
      methods: ["GET"],
      body: noBody,
      reachable: true,
      covers: ["/admin/stats", "/admin/subscribers.csv", "/admin/health"],
    },
    ...dashboardFamilies(email, noBody, signInBody, actionBody),
    {
      route: "admin subscriber",
      weight: 3,
      path: emailSegment.map((e) => `/admin/subscribers/${e}`),
      methods: ["GET", "DELETE"],
      body: noBody,
      reachable: true,
      covers: ["/admin/subscribers/:email"],
    },
    {
      route: "admin suppression lift",
      weight: 2,
      path: emailSegment.map((e) => `/admin/suppressions/${e}`),
      methods: ["DELETE"],
      body: noBody,
      reachable: true,
      covers: ["/admin/suppressions/:email"],
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
      covers: ["/admin/digests/:date", "/admin/digests/:date/preview"],
    },
    {
      route: "admin digest actions",
      weight: 3,
      path: fc
        .tuple(
          dateArb.filter((date) => !date.includes(PREVIEW_ONLY) && !date.includes(PREVIEW_ONLY_WEEK)),
          fc.constantFrom("/send", "/retry"),
        )
        .map(([date, action]) => `/admin/digests/${date}${action}`),
      methods: ["POST"],
      body: noBody,
      reachable: true,
      covers: ["/admin/digests/:date/send", "/admin/digests/:date/retry"],
    },
    {
      route: "admin chunk decisions",
      weight: 2,
      path: fc
        .tuple(
          fc.oneof({ weight: 3, arbitrary: fc.constant(WITH_UNKNOWN_CHUNKS) }, { weight: 1, arbitrary: dateArb }),
          fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 3 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom("x", "-1", "1.5", "9999999") }),
        )
        .map(([date, chunk]) => `/admin/digests/${date}/chunks/${chunk}/resolve`),
      methods: ["POST"],
      body: resolutionBody,
      reachable: true,
      covers: ["/admin/digests/:date/chunks/:chunk/resolve"],
    },
    {
      route: "admin import",
      weight: 2,
      path: fc.constant("/admin/subscribers/import"),
      methods: ["POST"],
      body: importBody,
      reachable: true,
      covers: ["/admin/subscribers/import"],
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
      covers: ["/webhooks/resend"],
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
      covers: [],
    },
  ];
  return { families, anyBody };
}


export function probeArb(families: RouteFamily[], anyBody: fc.Arbitrary<BodySpec>): fc.Arbitrary<Probe> {
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

