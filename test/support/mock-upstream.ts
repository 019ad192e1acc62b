/**
 * The loopback HTTP server that stands in for Resend, Hugging Face and Turnstile's siteverify,
 * serving `MockState` (mock-state.ts). One global setup starts it for the Worker tests; the
 * benchmarks start their own. Control endpoints live under `/__mock/`.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { json, MockState, siteverify } from "./mock-state";
import type { MockSettings } from "./mock-types";

export interface MockUpstream {
  url: string;
  state: MockState;
  /** Bytes of send requests received, before compaction. */
  bytesReceived(): number;
  /** Per send call: when its headers arrived, when its body was read, when the answer was written (ms since epoch). */
  timings: { headersAt: number; bodyAt: number; answeredAt: number }[];
  close(): Promise<void>;
}

export interface MockUpstreamOptions {
  settings?: Partial<MockSettings>;
  /**
   * Replace each email's `html` (and a `text` longer than 4 KB, a digest's) by their SHA-256 before
   * the mock sees the request. The mock keeps every request body (for idempotency comparisons and
   * its send log); at 100,000 recipients of a ~30 KB digest that would be gigabytes. A hash keeps
   * the comparison exact (another payload under the same key still gets a 409) at a fraction of the
   * memory, and a short text part (a confirmation's, with its link) stays readable.
   */
  compactBodies?: boolean;
}

export async function startMockUpstream({ settings = {}, compactBodies = false }: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const state = new MockState();
  state.reset(settings);
  let bytes = 0;
  const timings: MockUpstream["timings"] = [];
  const server = createServer(async (req, res) => {
    const headersAt = Date.now();
    const url = new URL(req.url ?? "/", "http://mock");
    try {
      const raw = await readAll(req);
      if (req.method === "POST" && (url.pathname === "/emails" || url.pathname === "/emails/batch")) {
        const bodyAt = Date.now();
        bytes += Buffer.byteLength(raw);
        await state.handleSend(req, res, url.pathname, compactBodies ? compact(raw) : raw);
        timings.push({ headersAt, bodyAt, answeredAt: Date.now() });
        return;
      }
      if (req.method === "GET" && url.pathname === "/api/daily_papers") return await state.handlePapers(req, res, url);
      if (req.method === "POST" && url.pathname === "/turnstile/v0/siteverify") return json(res, 200, siteverify(raw));
      if (url.pathname === "/__mock/reset" && req.method === "POST") {
        state.reset(raw ? JSON.parse(raw) : {});
        return json(res, 200, { ok: true });
      }
      if (url.pathname === "/__mock/configure" && req.method === "POST") {
        state.configure(JSON.parse(raw));
        return json(res, 200, { ok: true });
      }
      if (url.pathname === "/__mock/sends") return json(res, 200, state.sends);
      if (url.pathname === "/__mock/deliveries") return json(res, 200, state.deliveries);
      if (url.pathname === "/__mock/calls") return json(res, 200, state.calls());
      if (url.pathname === "/__mock/paper-requests") return json(res, 200, state.paperRequests);
      return json(res, 404, { statusCode: 404, name: "not_found", message: `No mock for ${req.method} ${url.pathname}` });
    } catch (error) {
      if (res.headersSent) return res.end();
      return json(res, 500, { statusCode: 500, name: "mock_error", message: String(error) });
    }
  });
  // Longer than any client keeps an idle connection: a server closing a kept-alive socket just as the
  // client reuses it loses that request ("Network connection lost"), which Resend never does to us.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    bytesReceived: () => bytes,
    timings,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function compact(raw: string): string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return raw; // the mock answers 422
  }
  const one = (email: unknown) => {
    if (typeof email !== "object" || email === null) return email;
    const { html, text, ...rest } = email as Record<string, unknown>;
    return { ...rest, html: digest(html), text: typeof text === "string" && text.length <= 4096 ? text : digest(text) };
  };
  return JSON.stringify(Array.isArray(body) ? body.map(one) : one(body));
}

function digest(value: unknown): unknown {
  return typeof value === "string" ? `sha256:${createHash("sha256").update(value).digest("base64")}:${value.length}` : value;
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
