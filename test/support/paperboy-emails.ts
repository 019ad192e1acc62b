/**
 * The JSON payloads paperboy hands to Resend for every kind of email, built by the Worker's own
 * code (renderDigest + recipientEmails for a digest chunk; renderMail for the outbox's mails: both
 * confirmations, the welcome, "you're already subscribed" and the manage link) and sent through the real Resend mailer, whose HTTP request body is captured
 * instead of reaching Resend.
 *
 * Type-checked with the Worker's types (tsconfig.json): the domain modules name D1 and Env, which
 * the Node program does not load. So the Node-side spam test imports this file at run time only,
 * through the plain types in resend-payload.ts.
 */
import { parseConfig } from "../../src/config";
import type { OutgoingEmail } from "../../src/delivery/mailer";
import { createResendMailer } from "../../src/delivery/resend-mailer";
import { renderDigest } from "../../src/digest/render";
import type { Recipient } from "../../src/digest/recipients";
import { recipientEmails } from "../../src/digest/send-chunk";
import type { Paper } from "../../src/papers/paper";
import { samplePapers } from "../../src/papers/sample-papers";
import { type MailKind, renderMail } from "../../src/subscribers/mail-render";
import { longPapers } from "../fixtures/long-papers";
import type { CapturedEmail, PaperboyEmailsModule, ResendPayload } from "./resend-payload";

const READER = { id: 4711, email: "reader@example.com", tokenVersion: 1 };
/** When the confirmation was asked for (its link is signed from then). */
const ASKED_AT = Date.parse("2026-11-26T07:00:00Z");
const CAPTURE_BASE_URL = "https://resend.capture.invalid";

/** A production Worker's settings, read by the Worker's own config module. */
const parsed = parseConfig({
  ENVIRONMENT: "production",
  PUBLIC_BASE_URL: "https://paperboy.example",
  MAIL_FROM: "paperboy <digest@paperboy.example>",
  SENDER_POSTAL_ADDRESS: "paperboy, 1 Example Street, 12345 Example City",
  RESEND_API_KEY: "re_capture_key",
  RESEND_BASE_URL: CAPTURE_BASE_URL,
  SIGNING_SECRET: "spam-score-signing-secret-0123456789abcdef",
  ADMIN_TOKEN: "spam-score-admin-token",
});
if (!parsed.ok) throw new Error(`spam-score config: ${parsed.problems.join("; ")}`);
const config = parsed.config;

interface EmailCase {
  name: string;
  /** The email as the Worker passes it to the mailer (always in a batch). */
  build(): Promise<OutgoingEmail>;
}

/** A digest as one chunk's batch builds it for a recipient with these topics (src/digest/send-chunk.ts). */
function digest(name: string, edition: string, papers: () => Paper[], topics: string[] = []): EmailCase {
  return {
    name,
    async build() {
      const rendered = await renderDigest({ edition, papers: papers(), config });
      const reader: Recipient = [READER.id, READER.email, READER.tokenVersion, "rendering", topics];
      const [email] = await recipientEmails(config, new Map([["rendering", rendered]]), [reader], edition);
      return email!;
    },
  };
}

/** A lifecycle mail as the outbox renders it when its batch is formed (src/subscribers/mail-render.ts). */
const lifecycleMail = (name: string, kind: MailKind): EmailCase => ({ name, build: () => renderMail(config, kind, READER, ASKED_AT) });

/** The digest at its usual size and at its largest (30 papers, the longest abstracts), and every mail of the outbox. */
const EMAIL_CASES: EmailCase[] = [
  digest("digest (10 sample papers)", "2024-03-17", () => samplePapers().slice(0, 10)),
  digest("digest (30 longest abstracts)", "2026-11-26", () => longPapers.slice(0, 30)),
  digest("weekly digest (20 papers, two topics)", "2026-W48", () => longPapers.slice(0, 20), ["agents", "mixture of experts"]),
  lifecycleMail("confirmation", "confirm"),
  lifecycleMail("confirmation (imported)", "confirm_import"),
  lifecycleMail("welcome", "welcome"),
  lifecycleMail("already subscribed", "already_subscribed"),
  lifecycleMail("manage link", "manage_link"),
];

/**
 * Sends every case through createResendMailer with `fetch` replaced for the duration: the
 * request body is recorded and answered as Resend answers a success. Nothing leaves the machine.
 */
export const capturePaperboyEmails: PaperboyEmailsModule["capturePaperboyEmails"] = async () => {
  const bodies: unknown[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(CAPTURE_BASE_URL)) throw new Error(`unexpected request to ${url}`);
    const body: unknown = JSON.parse(String(init?.body));
    bodies.push(body);
    const answer = Array.isArray(body) ? { data: body.map((_, i) => ({ id: `captured_${bodies.length}_${i}` })) } : { id: `captured_${bodies.length}` };
    return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  try {
    const mailer = createResendMailer(config.resend!);
    const captured: CapturedEmail[] = [];
    for (const [index, { name, build }] of EMAIL_CASES.entries()) {
      const { outcome } = await mailer.sendBatch([await build()], { idempotencyKey: `spam-score/${index}` });
      if (!outcome.ok) throw new Error(`capturing ${name} failed: ${outcome.failure.message}`);
      captured.push({ name, payload: (bodies.at(-1) as ResendPayload[])[0]! });
    }
    return captured;
  } finally {
    globalThis.fetch = realFetch;
  }
};
