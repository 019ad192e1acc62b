/**
 * What the mock upstream (mock-upstream.ts) knows and answers: Resend (`POST /emails`,
 * `POST /emails/batch`) and Hugging Face (`GET /api/daily_papers`).
 *
 * The real Resend SDK and the real papers client talk to it over HTTP. It implements what
 * the design depends on: Idempotency-Key semantics (same key and payload: the same answer;
 * another payload: 409; a key still in flight: 409), a rate limit answering 429 with
 * `retry-after`, and injected faults (500s, 429s, slow answers, connections dropped after
 * the send was accepted). It records every recipient it accepted, so tests and benchmarks
 * can count duplicates and misses.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Delivery, MockSettings, RecordedSend, SendCall } from "./mock-types";
import { isIsoWeek, isoWeekDays } from "../../src/lib/calendar";
import { seededRandom } from "./random";

/** What the mock states as its limit when it has none, like a generous plan. */
const UNLIMITED_STATED = 1000;

/**
 * Resend validates every recipient; the mock refuses the reserved `.invalid` domain (RFC 2606),
 * which paperboy's own address rules accept: the one bad address of a batch.
 */
function invalidRecipient(to: unknown): string | null {
  const addresses = Array.isArray(to) ? to : [to];
  if (addresses.length === 0 || addresses.some((address) => typeof address !== "string" || address === "")) return "The `to` field is missing.";
  const bad = addresses.find((address) => /\.invalid$/i.test(address));
  return bad ? `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` format: ${bad}` : null;
}

/**
 * Resend's rule for tags: an array of `{ name, value }`, each of ASCII letters, digits, underscores
 * and dashes, at most 256 characters; anything else is a validation error for that email.
 */
function invalidTags(tags: unknown): string | null {
  if (tags === undefined) return null;
  if (!Array.isArray(tags)) return "The `tags` field must be an array.";
  for (const tag of tags as { name?: unknown; value?: unknown }[]) {
    for (const part of ["name", "value"] as const) {
      const text = tag?.[part];
      if (typeof text !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(text))
        return `Invalid \`tags\` ${part}: it can only contain ASCII letters (a–z, A–Z), numbers (0–9), underscores (_), or dashes (-), up to 256 characters.`;
    }
  }
  return null;
}

const DEFAULTS: MockSettings = {
  rateLimitPerSecond: 0,
  faults: {},
  scriptedFaults: [],
  papers: {},
  scriptedPaperStatuses: [],
  scriptedPaperFaults: [],
  paperSlowMs: 2000,
  paperRetryAfter: null,
  seed: 1,
};

export class MockState {
  settings: MockSettings = structuredClone(DEFAULTS);
  sends: RecordedSend[] = [];
  deliveries: Delivery[] = [];
  paperRequests: string[] = [];
  private idempotency = new Map<string, { body: string; status: number; answer: unknown } | "in-flight">();
  private windowStart = 0;
  private windowCount = 0;
  private nextId = 1;
  private rng = seededRandom(DEFAULTS.seed);

  reset(settings: Partial<MockSettings> = {}) {
    this.settings = { ...structuredClone(DEFAULTS), ...settings };
    this.sends = [];
    this.deliveries = [];
    this.paperRequests = [];
    this.idempotency.clear();
    this.windowStart = 0;
    this.windowCount = 0;
    this.rng = seededRandom(this.settings.seed);
  }

  configure(settings: Partial<MockSettings>) {
    this.settings = { ...this.settings, ...settings };
    if (settings.seed !== undefined) this.rng = seededRandom(settings.seed);
  }

  /**
   * A fixed one-second window, like Resend's per-second team limit: counts this call and says
   * whether it is over the limit, with the headers Resend sends on every answer.
   */
  private countCall(now: number): { over: boolean; headers: Record<string, string> } {
    const limit = this.settings.rateLimitPerSecond;
    const second = Math.floor(now / 1000) * 1000;
    if (second !== this.windowStart) {
      this.windowStart = second;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    const stated = limit || UNLIMITED_STATED;
    const headers = {
      "ratelimit-limit": String(stated),
      "ratelimit-remaining": String(Math.max(0, stated - this.windowCount)),
      "ratelimit-reset": String(Math.max(1, Math.ceil((second + 1000 - now) / 1000))),
    };
    return { over: limit > 0 && this.windowCount > limit, headers };
  }

  private pickFault(): string | null {
    const scripted = this.settings.scriptedFaults.shift();
    if (scripted) return scripted;
    const { error500 = 0, error429 = 0, dropAfterAccept = 0, slow = 0 } = this.settings.faults;
    const roll = this.rng();
    if (roll < error500) return "500";
    if (roll < error500 + error429) return "429";
    if (roll < error500 + error429 + dropAfterAccept) return "drop-after-accept";
    if (this.rng() < slow) return "slow";
    return null;
  }

  async handleSend(req: IncomingMessage, res: ServerResponse, path: string, raw: string) {
    const now = Date.now();
    const key = header(req, "idempotency-key");
    const record = (status: number, body: unknown) =>
      this.sends.push({ path, idempotencyKey: key, authorization: header(req, "authorization"), body, status, at: now });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      record(422, raw);
      return json(res, 422, { statusCode: 422, name: "validation_error", message: "Invalid JSON" });
    }
    if (!header(req, "authorization")?.startsWith("Bearer re_")) {
      record(401, body);
      return json(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
    }
    // Like Resend's, the limiter answers before the Idempotency-Key is looked at, so even a retry of
    // an accepted request can get a 429; every answer from here on carries the rate-limit headers.
    const window = this.countCall(now);
    const send = (status: number, answer: unknown, extra: Record<string, string> = {}) => json(res, status, answer, { ...window.headers, ...extra });
    let limited = window.over;
    if (this.settings.scriptedFaults[0] === "limit") {
      this.settings.scriptedFaults.shift();
      limited = true;
    }
    if (!limited && this.settings.scriptedRateLimits) {
      this.settings.scriptedRateLimits -= 1;
      limited = true;
    }
    if (limited) {
      record(429, body);
      return send(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" }, { "ratelimit-remaining": "0", "retry-after": "1" });
    }
    if (key) {
      const previous = this.idempotency.get(`${path} ${key}`);
      if (previous === "in-flight") {
        record(409, body);
        return send(409, { statusCode: 409, name: "concurrent_idempotent_requests", message: "Same key in flight" });
      }
      if (previous) {
        if (previous.body !== raw) {
          record(409, body);
          return send(409, { statusCode: 409, name: "invalid_idempotent_request", message: "Key reused with another payload" });
        }
        record(previous.status, body);
        return send(previous.status, previous.answer);
      }
    }
    const fault = this.pickFault();
    if (fault === "500") {
      record(500, body);
      return send(500, { statusCode: 500, name: "internal_server_error", message: "Injected failure" });
    }
    if (fault === "429") {
      // An odd 429 that does not mean the window is spent: the headers say what is really left.
      record(429, body);
      return send(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Injected 429" }, { "retry-after": "1" });
    }
    if (fault === "drop") {
      record(0, body);
      return req.socket.destroy();
    }
    const batch = path === "/emails/batch";
    const emails = (batch ? body : [body]) as { to?: string[] | string; subject: string; text?: unknown; headers?: Record<string, string>; tags?: unknown }[];
    if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100 || fault === "422") {
      record(422, body);
      return send(422, { statusCode: 422, name: "validation_error", message: "Batch must hold 1 to 100 emails" });
    }
    const errors = emails.flatMap((email, index) => {
      const problem = invalidRecipient(email.to) ?? invalidTags(email.tags);
      return problem ? [{ index, message: problem }] : [];
    });
    const permissive = batch && header(req, "x-batch-validation") === "permissive";
    if (errors.length > 0 && !permissive) {
      record(422, body);
      return send(422, { statusCode: 422, name: "validation_error", message: errors[0]!.message });
    }
    if (key) this.idempotency.set(`${path} ${key}`, "in-flight");
    if (fault === "slow") await sleep(this.settings.faults.slowMs ?? 2000);
    const refused = new Set(errors.map((error) => error.index));
    const ids = emails.flatMap((email, index) => {
      if (refused.has(index)) return [];
      const id = `mock_${this.nextId++}`;
      for (const to of Array.isArray(email.to) ? email.to : [email.to ?? ""])
        this.deliveries.push({
          id,
          to,
          subject: email.subject,
          idempotencyKey: key,
          headers: email.headers ?? {},
          tags: (email.tags as Delivery["tags"] | undefined) ?? [],
          at: now,
          text: typeof email.text === "string" && !email.text.startsWith("sha256:") ? email.text : null,
        });
      return [{ id }];
    });
    const answer = batch ? { data: ids, ...(permissive ? { errors } : {}) } : ids[0];
    if (key) this.idempotency.set(`${path} ${key}`, { body: raw, status: 200, answer });
    record(fault === "drop-after-accept" ? 0 : 200, body);
    if (fault === "drop-after-accept") return req.socket.destroy();
    return send(200, answer);
  }

  async handlePapers(req: IncomingMessage, res: ServerResponse, url: URL) {
    this.paperRequests.push(url.search);
    const fault = this.settings.scriptedPaperFaults.shift();
    if (fault === "drop") return req.socket.destroy();
    if (fault === "not-json") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end("<!DOCTYPE html><html><body>Hugging Face is down for maintenance</body></html>");
    }
    if (fault === "not-array") return json(res, 200, { error: "Invalid date" });
    if (fault === "slow") await sleep(this.settings.paperSlowMs);
    // A request that took a fault does not also take a scripted status.
    const scripted = fault ? undefined : this.settings.scriptedPaperStatuses.shift();
    const retryAfter: Record<string, string> =
      scripted === 429 && this.settings.paperRetryAfter !== null ? { "retry-after": this.settings.paperRetryAfter } : {};
    if (scripted && scripted !== 200) return json(res, scripted, { error: "scripted failure" }, retryAfter);
    const week = url.searchParams.get("week");
    const limit = Number(url.searchParams.get("limit") ?? 50);
    const page = Number(url.searchParams.get("p") ?? 0);
    // `?week=YYYY-Www`: the items listed on the days of that ISO week, Monday to Sunday, as Hugging
    // Face's week list is modelled here (paperboy ranks whatever a week's list holds).
    const days = week ? isoWeekDayList(week) : [url.searchParams.get("date") ?? ""];
    const items = days.flatMap((day) => this.settings.papers[day] ?? []);
    return json(res, 200, items.slice(page * limit, (page + 1) * limit));
  }

  /** The send calls without their bodies: who each was for, when, and how it was answered. */
  calls(): SendCall[] {
    return this.sends.map(({ path, idempotencyKey, status, at, body }) => {
      const emails = (Array.isArray(body) ? body : [body]) as { to?: unknown }[];
      const recipients = emails.flatMap((email) => (Array.isArray(email?.to) ? email.to : [email?.to])).filter((to): to is string => typeof to === "string");
      return { path, idempotencyKey, status, at, recipients };
    });
  }
}

function isoWeekDayList(week: string): string[] {
  if (!isIsoWeek(week)) return [];
  const { first } = isoWeekDays(week);
  return Array.from({ length: 7 }, (_, index) => new Date(Date.parse(`${first}T00:00:00Z`) + index * 86_400_000).toISOString().slice(0, 10));
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Cloudflare Turnstile's `siteverify`, answering like its documented test secret keys:
 * `1x…AA` always passes, `2x…AA` always fails, `3x…AA` reports a spent token. With the passing
 * secret, the token `expired-token` is answered as expired or already used, as a real one would be.
 */
export function siteverify(raw: string) {
  const form = new URLSearchParams(raw);
  const secret = form.get("secret") ?? "";
  const token = form.get("response") ?? "";
  if (!token) return { success: false, "error-codes": ["missing-input-response"] };
  if (secret.startsWith("2x")) return { success: false, "error-codes": ["invalid-input-response"] };
  if (secret.startsWith("3x") || token === "expired-token") return { success: false, "error-codes": ["timeout-or-duplicate"] };
  if (secret.startsWith("1x")) return { success: true, challenge_ts: new Date().toISOString(), hostname: "paperboy.test", "error-codes": [] };
  return { success: false, "error-codes": ["invalid-input-secret"] };
}
