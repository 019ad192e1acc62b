/** The operator dashboard's routes in the sweep: its pages, its sign-in and sign-out, its actions. */
import fc from "fast-check";
import { anyText, dateArb, queryValue } from "./arbitraries";
import type { RouteFamily } from "./families";
import type { BodySpec } from "./requests";

export function dashboardFamilies(
  email: fc.Arbitrary<string>,
  noBody: fc.Arbitrary<BodySpec>,
  signInBody: fc.Arbitrary<BodySpec>,
  actionBody: fc.Arbitrary<BodySpec>,
): RouteFamily[] {
  return [
    {
      // Without a session cookie (the sweep sends none), the dashboard's pages show the sign-in form.
      route: "dashboard pages",
      weight: 2,
      path: fc.oneof(
        fc.constantFrom("/admin", "/admin/sign-in", "/admin/sign-in?signed_out", "/admin/dashboard.js"),
        fc.tuple(fc.oneof(dateArb, anyText(12).map(encodeURIComponent)), fc.constantFrom("", "&x=1")).map(([edition, rest]) => `/admin/preview?edition=${edition}${rest}`),
        queryValue(email).map((reader) => `/admin?reader=${reader}`),
      ),
      methods: ["GET"],
      body: noBody,
      reachable: true,
      covers: ["/admin", "/admin/sign-in", "/admin/dashboard.js", "/admin/preview"],
    },
    {
      route: "dashboard sign-in",
      weight: 2,
      path: fc.constantFrom("/admin/sign-in", "/admin/sign-out"),
      methods: ["POST"],
      body: signInBody,
      reachable: true,
      covers: ["/admin/sign-in", "/admin/sign-out"],
    },
    {
      route: "dashboard actions",
      weight: 2,
      path: fc.constantFrom("retry", "send", "erase", "lift", "import", "other").map((action) => `/admin/actions/${action}`),
      methods: ["POST"],
      body: actionBody,
      // Only a signed-in browser gets past the door, and the sweep has no session: it probes the door.
      reachable: false,
      covers: ["/admin/actions/retry", "/admin/actions/send", "/admin/actions/erase", "/admin/actions/lift", "/admin/actions/import"],
    },
  ];
}
