/** Requests through the Worker's own entry point, the way browsers, API clients and operators send them. */
import { exports } from "cloudflare:workers";
import { acceptedSendsTo } from "./mock";

/** The origin the tests configure as PUBLIC_BASE_URL (see vitest.config.ts). */
export const ORIGIN = "https://paperboy.test";
export const MAIL_FROM = "paperboy <digest@paperboy.test>";
export const ADMIN_TOKEN = "test-admin-token";

/** A request through the deployed Worker entry point, with the test bindings. */
export function worker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init));
}

/** An operator request carrying the admin token. */
export function admin(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${ADMIN_TOKEN}`);
  return worker(path, { ...init, headers });
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
export function linkIn(text: string, path: "/confirm" | "/unsubscribe" | "/preferences"): string {
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

/** The one-click unsubscribe (RFC 8058) a mail client performs with the List-Unsubscribe URL. */
export function oneClickUnsubscribe(link: string): Promise<Response> {
  return worker(pathOf(link), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
}
