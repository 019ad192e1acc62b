import { createHash } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { MockState, type MockSettings } from "../../test/mocks/mock-upstream";

/** The project's mock Resend + Hugging Face upstream, as the benchmarks run it. */
export interface BenchMock {
  url: string;
  state: MockState;
  /** Bytes of send requests received, before compaction. */
  bytesReceived(): number;
  /** Per send call: when its headers arrived, when its body was read, when the answer was written (ms since epoch). */
  timings: { headersAt: number; bodyAt: number; answeredAt: number }[];
  close(): Promise<void>;
}

/**
 * Serves `MockState` from test/mocks/mock-upstream.ts, the mock the tests use: rate limit, Idempotency-Key
 * semantics, fault injection, and a record of every accepted recipient.
 *
 * One difference: each email's `html` and `text` are replaced by their SHA-256 before the mock
 * sees the request. The mock keeps every request body (for idempotency comparisons and its send
 * log); at 100,000 recipients of a ~30 KB digest that would be gigabytes. A hash keeps the
 * comparison exact (another payload under the same key still gets a 409) at a fraction of the memory.
 */
export async function startBenchMock(settings: Partial<MockSettings> = {}): Promise<BenchMock> {
  const state = new MockState();
  state.reset(settings);
  let bytes = 0;
  const timings: BenchMock["timings"] = [];
  const server = createServer(async (req, res) => {
    const headersAt = Date.now();
    const url = new URL(req.url ?? "/", "http://mock");
    try {
      const raw = await readAll(req);
      if (req.method === "POST" && (url.pathname === "/emails" || url.pathname === "/emails/batch")) {
        const bodyAt = Date.now();
        bytes += Buffer.byteLength(raw);
        await state.handleSend(req, res, url.pathname, compact(raw));
        timings.push({ headersAt, bodyAt, answeredAt: Date.now() });
        return;
      }
      if (req.method === "GET" && url.pathname === "/api/daily_papers") return await state.handlePapers(req, res, url);
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ statusCode: 404, name: "not_found" }));
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ statusCode: 500, name: "mock_error", message: String(error) }));
    }
  });
  server.keepAliveTimeout = 1000;
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
    return { ...rest, html: digest(html), text: digest(text) };
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
