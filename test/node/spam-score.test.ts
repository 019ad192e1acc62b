// SpamAssassin (Debian's package, offline: local rules only) on the MIME message built from exactly
// the JSON payload paperboy hands to Resend, for the digest (10 and 30 papers) and every mail of the
// outbox (both confirmations, the welcome, "you're already subscribed", the manage link). The content score, every rule except those that fire only because a transport header
// is missing, must stay below 1.0. No skipping: without SpamAssassin every test here fails and says
// how to install it.
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { type MimeOptions, toMime } from "../support/mime";
import type { CapturedEmail, PaperboyEmailsModule } from "../support/resend-payload";
import { contentScore, describeRules, scoreWithSpamAssassin, type SpamResult, TRANSPORT_ONLY_RULES } from "../support/spamassassin";

const CONTENT_LIMIT = 1.0;
const SENT_AT = new Date("2026-11-26T07:00:00Z");
/** A Message-ID as Amazon SES, which Resend sends through, writes it. */
const RESEND_MESSAGE_ID = "0100019a7c2e4f10-5b3f1d2c-8e4a-4c1b-9f2e-3a6d7b8c9d0e-000000@email.amazonses.com";
/** The Received header a receiving MX adds to a message from SES. */
const MX_RECEIVED =
  "from a48-93.smtp-out.amazonses.com (a48-93.smtp-out.amazonses.com [54.240.48.93]) by mx.example.com with ESMTPS id 4Xy7Zq1abcz for <reader@example.com>; Thu, 26 Nov 2026 07:00:01 +0000";

/**
 * Each email is scored in three forms:
 * - `payload`: the payload alone, as the issue asks; transport-only rules are left out of the sum.
 * - `resend`: with the Message-ID Resend adds, and base64 bodies. Scored too because some content
 *   rules only fire when a Message-ID is there (FONT_INVIS_MSGID: invisible text plus an ordinary
 *   Message-ID), so the payload alone can hide them; base64 covers the other common encoding.
 * - `relayed`: with a Message-ID and an MX's Received header, only to show that TRANSPORT_ONLY_RULES
 *   go away once those headers exist. Never used for the verdict: an Amazon Received header also
 *   switches off content rules (e.g. FONT_INVIS_MSGID has `!__HDR_RCVD_AMAZON`).
 */
const FORMS = {
  payload: {},
  resend: { messageId: RESEND_MESSAGE_ID, encoding: "base64" },
  relayed: { messageId: RESEND_MESSAGE_ID, received: [MX_RECEIVED] },
} satisfies Record<string, MimeOptions>;
type Form = keyof typeof FORMS;

const NAMES = [
  "digest (10 sample papers)",
  "digest (30 longest abstracts)",
  "confirmation",
  "confirmation (imported)",
  "welcome",
  "already subscribed",
  "manage link",
];

/**
 * Loaded by URL, not imported: paperboy-emails.ts imports domain modules that only type-check
 * with the Worker's types, so it belongs to the Worker's TypeScript program (see that file).
 */
async function captureEmails(): Promise<CapturedEmail[]> {
  const url = new URL("../support/paperboy-emails.ts", import.meta.url).href;
  const module = (await import(/* @vite-ignore */ url)) as PaperboyEmailsModule;
  return module.capturePaperboyEmails();
}

/** Runs `jobs` at most `limit` at a time: each SpamAssassin run is a Perl process that takes seconds of CPU. */
async function pooled<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

type Scores = Map<string, { payload: CapturedEmail["payload"]; results: Record<Form, SpamResult> }>;

/** Everything scored once, shared by the tests; each test awaits it, so a missing SpamAssassin fails each one. */
let scoring: Promise<Scores> | undefined;
function scores(): Promise<Scores> {
  scoring ??= (async () => {
    const emails = await captureEmails();
    const forms = Object.keys(FORMS) as Form[];
    const jobs = emails.flatMap(({ payload }) => forms.map((form) => () => scoreWithSpamAssassin(toMime(payload, { date: SENT_AT, ...FORMS[form] }))));
    const results = await pooled(jobs, Math.max(1, Math.min(4, availableParallelism())));
    return new Map(
      emails.map(({ name, payload }, i) => [
        name,
        { payload, results: Object.fromEntries(forms.map((form, j) => [form, results[i * forms.length + j]!])) as Record<Form, SpamResult> },
      ]),
    );
  })();
  return scoring;
}

async function scored(name: string) {
  const entry = (await scores()).get(name);
  if (!entry) throw new Error(`no email named ${name} was captured`);
  return entry;
}

function report(name: string, form: Form, result: SpamResult): string {
  return `${name} (${form}): total ${result.score}, content ${contentScore(result)} (limit < ${CONTENT_LIMIT})\n${describeRules(result.rules)}`;
}

describe.each(NAMES)("%s", (name) => {
  it.each(["payload", "resend"] as const)(`scores below ${CONTENT_LIMIT} for content (%s form)`, async (form) => {
    const { results } = await scored(name);
    const result = results[form];
    expect(contentScore(result), report(name, form, result)).toBeLessThan(CONTENT_LIMIT);
  });

  it("is scored with paperboy's own headers and both parts", async () => {
    const { payload } = await scored(name);
    expect(payload.from).toBe("paperboy <digest@paperboy.example>");
    expect(payload.html).toContain("<html");
    expect(payload.text.length).toBeGreaterThan(100);
    // Every mail but a confirmation (nobody is subscribed yet) is a list mail or links to the subscription.
    if (!name.startsWith("confirmation")) expect(Object.keys(payload.headers ?? {})).toEqual(["List-Id", "List-Unsubscribe", "List-Unsubscribe-Post"]);
    else expect(payload.headers).toBeUndefined();
  });

  it("leaves out only rules that go away once Resend's Message-ID and an MX's Received header are there", async () => {
    const { results } = await scored(name);
    const bare = results.payload.rules.map((rule) => rule.name);
    const relayed = results.relayed.rules.map((rule) => rule.name);
    const excluded = bare.filter((rule) => TRANSPORT_ONLY_RULES.includes(rule));
    expect(excluded.filter((rule) => relayed.includes(rule)), report(name, "relayed", results.relayed)).toEqual([]);
    // And nothing else changes: every rule that goes away is a listed one.
    expect(bare.filter((rule) => !relayed.includes(rule) && !TRANSPORT_ONLY_RULES.includes(rule))).toEqual([]);
  });
});

describe("the SpamAssassin check", () => {
  it("notices a preheader hidden with a zero font size in the background colour (the old one)", async () => {
    const { payload } = await scored("confirmation");
    const preheader = /<div style="[^"]*" data-skip-in-text="true">/;
    expect(payload.html).toMatch(preheader);
    const html = payload.html.replace(preheader, '<div style="color:#f6f8fa;font-size:0px;line-height:0px;mso-hide:all" data-skip-in-text="true">');
    const result = await scoreWithSpamAssassin(toMime({ ...payload, html }, { date: SENT_AT, ...FORMS.resend }));
    expect(result.rules.map((rule) => rule.name)).toEqual(expect.arrayContaining(["HTML_FONT_LOW_CONTRAST", "FONT_INVIS_MSGID"]));
    expect(contentScore(result)).toBeGreaterThanOrEqual(CONTENT_LIMIT);
  });
});
