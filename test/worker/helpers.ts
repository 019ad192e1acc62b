import { env, exports } from "cloudflare:workers";
import { inject } from "vitest";
import type { MockSettings, RecordedSend } from "../mocks/mock-types";

/** The origin the tests configure as PUBLIC_BASE_URL (see vitest.config.ts). */
export const ORIGIN = "https://paperboy.test";
export const MAIL_FROM = "paperboy <digest@paperboy.test>";

const mockUrl = inject("mockUpstreamUrl");

/** Clears what the mock Resend recorded and applies `settings` (faults, rate limits). */
export async function resetMock(settings: Partial<MockSettings> = {}): Promise<void> {
  const response = await fetch(`${mockUrl}/__mock/reset`, { method: "POST", body: JSON.stringify(settings) });
  if (!response.ok) throw new Error(`mock reset failed: ${response.status}`);
}

export interface SentEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export type Send = Omit<RecordedSend, "body"> & { body: SentEmail };

/** Every call the mock Resend received, in order. */
export async function mockSends(): Promise<Send[]> {
  return (await fetch(`${mockUrl}/__mock/sends`)).json();
}

/** Sends the mock accepted (status 200) for one recipient. */
export async function acceptedSendsTo(address: string): Promise<Send[]> {
  return (await mockSends()).filter((send) => send.status === 200 && send.body.to.includes(address));
}

/** A fresh address per test: storage is shared by all tests in a file. */
export function uniqueEmail(tag = "reader"): string {
  return `${tag}-${crypto.randomUUID()}@example.com`;
}

/** A request through the deployed Worker entry point, with the test bindings. */
export function worker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init));
}

export function subscribeJson(email: unknown): Promise<Response> {
  return worker("/subscribe", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ email }),
  });
}

export function subscribeForm(email: string): Promise<Response> {
  return worker("/subscribe", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ email }).toString(),
  });
}

/** The first absolute link to `path` in a piece of text (HTML attribute or plain text). */
export function linkIn(text: string, path: "/confirm" | "/unsubscribe"): string {
  const match = new RegExp(`${ORIGIN}${path}\\?token=[A-Za-z0-9._-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in: ${text.slice(0, 500)}`);
  return match[0];
}

/** The path and query of an absolute paperboy link, ready for `worker()`. */
export function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

export function tokenOf(link: string): string {
  return new URL(link).searchParams.get("token")!;
}

/** Signs up through the JSON API and returns the confirmation link Resend was asked to send. */
export async function signUp(email: string): Promise<string> {
  const response = await subscribeJson(email);
  if (response.status !== 202) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const sends = await acceptedSendsTo(email);
  const confirmation = sends.findLast((send) => send.body.subject === "Confirm your paperboy subscription");
  if (!confirmation) throw new Error(`no confirmation email for ${email}`);
  return linkIn(confirmation.body.text, "/confirm");
}

/** Presses the button on the confirmation page. */
export function postConfirm(token: string): Promise<Response> {
  return worker("/confirm", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ token }).toString(),
  });
}

/** Signs up and confirms; returns the unsubscribe link from the welcome email. */
export async function signUpAndConfirm(email: string): Promise<string> {
  const confirmLink = await signUp(email);
  const response = await postConfirm(tokenOf(confirmLink));
  if (response.status !== 200) throw new Error(`confirm failed: ${response.status}`);
  const welcome = (await acceptedSendsTo(email)).find((send) => send.body.subject === "Welcome to paperboy");
  if (!welcome) throw new Error(`no welcome email for ${email}`);
  return linkIn(welcome.body.text, "/unsubscribe");
}

export interface SubscriberRow {
  id: number;
  email: string;
  email_key: string;
  status: string;
  token_version: number;
  confirmation_sent_at: number | null;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

export function subscriberRow(email: string): Promise<SubscriberRow | null> {
  return env.DB.prepare("SELECT * FROM subscribers WHERE email_key = ?").bind(email.toLowerCase()).first<SubscriberRow>();
}

export async function countSubscribers(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers").first<{ n: number }>();
  return row!.n;
}

export interface HtmlForm {
  method: string;
  action: string;
  fields: Record<string, string>;
  buttons: string[];
}

/** The forms on a page, read the way a browser would submit them. */
export function formsIn(html: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs = "", inner = ""]) => ({
    method: (attribute(attrs, "method") ?? "get").toLowerCase(),
    action: attribute(attrs, "action") ?? "",
    fields: Object.fromEntries(
      [...inner.matchAll(/<input\b([^>]*)>/g)]
        .map(([, input = ""]) => [attribute(input, "name"), attribute(input, "value") ?? ""] as const)
        .filter((entry): entry is [string, string] => entry[0] !== undefined),
    ),
    buttons: [...inner.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map(([, text = ""]) => text.trim()),
  }));
}

/** Presses a form's button: POSTs its fields to its action as a browser would. */
export function submit(form: HtmlForm): Promise<Response> {
  if (form.method !== "post") throw new Error(`form method is ${form.method}`);
  return worker(form.action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams(form.fields).toString(),
  });
}

function attribute(attrs: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The text of the page's first <h1>. */
export function headingOf(html: string): string | undefined {
  const heading = /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1];
  return heading === undefined ? undefined : decodeEntities(heading.trim());
}
