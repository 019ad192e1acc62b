/** The request bodies the sweep sends each route: mostly what the route expects, sometimes anything at all. */
import fc from "fast-check";
import { anyBodyArb, anyText, asciiText, oneOf } from "./arbitraries";
import type { BodySpec, MultipartFault } from "./requests";
import type { Seeded } from "./seed";
import { ADMIN_TOKEN } from "../../support/worker/requests";

export function bodyArbs({ subscribers }: Pick<Seeded, "subscribers">, email: fc.Arbitrary<string>, token: fc.Arbitrary<string>, confirmToken: fc.Arbitrary<string>) {
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

  // Only addresses already on the list (and junk): an imported one would get a confirmation mail from the
  // Worker's own queue consumer in the background, changing the mock's record while later probes are checked.
  const known = fc.constantFrom(...subscribers.map((s) => s.email), "erased@example.org");
  const csvRow = fc.oneof(
    known,
    anyText(20).map((text) => text.replace(/@/g, "")),
    fc.tuple(known, asciiText(10)).map(([e, name]) => `"${e}","${name.replace(/"/g, '""')}"`),
  );
  const importBody = oneOf<BodySpec>(
    { weight: 3, arbitrary: fc.array(csvRow, { maxLength: 5 }).map((rows) => ({ kind: "csv", text: ["email,name", ...rows].join("\r\n") })) },
    { weight: 1, arbitrary: anyBody },
  );

  const resolutionBody = oneOf<BodySpec>(
    {
      weight: 3,
      arbitrary: fc
        .record(
          { resolution: fc.oneof({ weight: 4, arbitrary: fc.constantFrom("resend", "mark_sent") }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom("RESEND", ""), anyValue) }) },
          { requiredKeys: ["resolution"] },
        )
        .map((value) => ({ kind: "json", value })),
    },
    { weight: 1, arbitrary: fc.constant<BodySpec>({ kind: "json", value: {} }) },
    { weight: 1, arbitrary: anyBody },
  );

  // A reader's choices: mostly real ones, some that are not choices at all.
  const choice = {
    cadence: fc.oneof(fc.constantFrom("daily", "weekly"), fc.constantFrom("monthly", "", "DAILY"), anyValue),
    size: fc.oneof(fc.constantFrom("3", "5", "10", "20", 20), fc.constantFrom("4", "0", "-1", "1e1"), anyValue),
    topics: fc.oneof(fc.constantFrom("agents", "agents, mamba", "", "robotics,robotics"), anyText(50), fc.array(anyText(45), { maxLength: 12 }), anyValue),
    timezone: fc.oneof(fc.constantFrom("UTC", "Europe/Berlin", "asia/calcutta", "Pacific/Chatham"), fc.constantFrom("Mars/Olympus", "+05:30", ""), anyValue),
    hour: fc.oneof(fc.constantFrom("6", "7", "10", 8), fc.constantFrom("5", "11", "07:00"), anyValue),
  };
  const choices = fc.record(choice, { requiredKeys: [] });
  const choicesBody = oneOf<BodySpec>(
    { weight: 2, arbitrary: choices.map((value) => ({ kind: "json", value })) },
    {
      weight: 2,
      arbitrary: choices.map((value) => ({
        kind: "form",
        fields: Object.entries(value).flatMap(([name, entry]) => (Array.isArray(entry) ? entry.map((item) => [name, String(item)]) : [[name, String(entry)]])) as [string, string][],
      })),
    },
    { weight: 1, arbitrary: anyBody },
  );
  // The dashboard's sign-in form: the right token sometimes, mostly not.
  const signInBody = oneOf<BodySpec>(
    { weight: 1, arbitrary: fc.constant<BodySpec>({ kind: "form", fields: [["token", ADMIN_TOKEN]] }) },
    { weight: 3, arbitrary: fc.oneof(anyText(40), fc.constantFrom("", ADMIN_TOKEN.toUpperCase(), ` ${ADMIN_TOKEN}`)).map((token) => ({ kind: "form", fields: [["token", token]] })) },
    { weight: 1, arbitrary: anyBody },
  );
  // The dashboard's actions: an edition or an address, the box ticked or not.
  const actionBody = oneOf<BodySpec>(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.oneof(fc.constantFrom("edition", "email"), asciiText(6)), fc.oneof(email, anyText(20), fc.constant("2026-11-30")), fc.constantFrom("yes", "no", ""))
        .map(([name, value, confirm]) => ({ kind: "form", fields: [[name, value], ["confirm", confirm]] })),
    },
    { weight: 1, arbitrary: anyBody },
  );
  return { anyBody, noBody, signupBody, confirmBody, eventBody, importBody, resolutionBody, choicesBody, signInBody, actionBody };
}
