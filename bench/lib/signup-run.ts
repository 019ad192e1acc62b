import autocannon from "autocannon";
import { createLocalState, d1Execute, type DevWorker, type LocalState, startDevWorker } from "../../test/support/dev-worker";
import { type MockUpstream, startMockUpstream } from "../../test/support/mock-upstream";
import { bundleBenchWorker } from "./bundle";

export interface SignupOptions {
  /** Seconds of load per route. */
  durationSeconds?: number;
  connections?: number;
  /** RESEND_MAX_RPS: every accepted sign-up sends its confirmation mail through the shared pacer. */
  rps?: number;
  log?: (line: string) => void;
}

interface RouteFigures {
  route: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
  /** requests/s relative to GET /healthz. */
  ratio: number;
}

export interface SignupResult {
  options: Required<Omit<SignupOptions, "log">>;
  routes: RouteFigures[];
  accepted: number;
  /** Accepted sign-ups with no subscriber row afterwards. */
  lost: number;
  /** Accepted sign-ups whose confirmation mail the mock Resend did not receive and that are not queued for one. */
  unconfirmed: number;
  /**
   * Accepted sign-ups whose confirmation was still queued (or being sent) when the run ended: when
   * the send rate is busy, a sign-up is answered at once and its mail follows through the queue.
   */
  queued: number;
}

/** Each request comes from its own client address, as real sign-ups do; see signup.ts. */
let clients = 0;
const nextClientIp = () => {
  clients += 1;
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
};

/**
 * Loads one `wrangler dev` Worker with autocannon, one route after the other: the static
 * `GET /healthz` (the baseline), the home page `GET /`, and `POST /subscribe` with a new address
 * per request. Then checks that every sign-up answered 202 has its row in D1 and its
 * confirmation mail at the mock Resend, or is still queued for one.
 */
export async function runSignup(input: SignupOptions = {}): Promise<SignupResult> {
  const options = {
    durationSeconds: input.durationSeconds ?? 10,
    connections: input.connections ?? 10,
    rps: input.rps ?? 100,
  };
  const log = input.log ?? (() => {});
  let state: LocalState | null = null;
  let mock: MockUpstream | null = null;
  let worker: DevWorker | null = null;
  try {
    state = await createLocalState();
    const script = await bundleBenchWorker(state);
    mock = await startMockUpstream({ compactBodies: true });
    worker = await startDevWorker({
      state,
      script,
      resendApiKey: "re_bench",
      vars: { RESEND_MAX_RPS: String(options.rps), RESEND_BASE_URL: mock.url, PAPERS_API_URL: `${mock.url}/api/daily_papers` },
    });
    const accepted: string[] = [];
    let sequence = 0;
    const runId = Date.now().toString(36);
    const routes: Omit<RouteFigures, "ratio">[] = [];
    const load = async (route: string, request: autocannon.Request) => {
      log(`${route}: ${options.durationSeconds} s with ${options.connections} connections`);
      const result = await autocannon({
        url: worker!.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: [request],
      });
      const statuses: Record<string, number> = {};
      for (const [code, count] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (count as { count: number }).count;
      routes.push({
        route,
        requests: result.requests.total,
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errors: result.non2xx + result.errors + result.timeouts,
        statuses,
      });
    };
    type Setup = (req: autocannon.Request, context: object) => autocannon.Request;
    const fromClient = (request: Omit<autocannon.Request, "setupRequest"> & { setupRequest?: Setup }): autocannon.Request => ({
      ...request,
      setupRequest: (req, context) => {
        const prepared = request.setupRequest ? request.setupRequest(req, context) : req;
        return { ...prepared, headers: { ...prepared.headers, "cf-connecting-ip": nextClientIp() } };
      },
    });

    await load("GET /healthz", fromClient({ method: "GET", path: "/healthz" }));
    await load("GET /", fromClient({ method: "GET", path: "/" }));
    await load(
      "POST /subscribe",
      fromClient({
        method: "POST",
        path: "/subscribe",
        setupRequest: (req, context) => {
          sequence += 1;
          const email = `signup-${runId}-${sequence}@bench.example`;
          (context as { email?: string }).email = email;
          return { ...req, headers: { ...req.headers, "content-type": "application/json" }, body: JSON.stringify({ email }) };
        },
        onResponse: (status, _body, context) => {
          if (status === 202) accepted.push((context as { email: string }).email);
        },
      }),
    );
    // Confirmations deferred to the queue go out at the paced rate: give them the time that takes (at most 90 s).
    const mailedNow = () => new Set(mock!.state.deliveries.map((delivery) => delivery.to));
    const waitUntil = Date.now() + Math.min(90_000, (accepted.length / options.rps) * 1050 + 15_000);
    while (Date.now() < waitUntil && accepted.some((email) => !mailedNow().has(email))) await new Promise((r) => setTimeout(r, 500));
    await worker.stop();
    worker = null;

    const rows = (await d1Execute(state, {
      command: "SELECT email, status FROM subscribers",
    })) as { email: string; status: string }[];
    const stored = new Set(rows.map((row) => row.email));
    // Pending and not mailed when the run stopped: queued, or being sent at that moment.
    const awaitingMail = new Set(rows.filter((row) => row.status === "pending").map((row) => row.email));
    const mailed = mailedNow();
    const baseline = routes[0]?.requestsPerSecond || 1;
    return {
      options,
      routes: routes.map((route) => ({ ...route, ratio: route.requestsPerSecond / baseline })),
      accepted: accepted.length,
      lost: accepted.filter((email) => !stored.has(email)).length,
      unconfirmed: accepted.filter((email) => !mailed.has(email) && !awaitingMail.has(email)).length,
      queued: accepted.filter((email) => !mailed.has(email) && awaitingMail.has(email)).length,
    };
  } finally {
    await worker?.kill();
    await mock?.close();
    await state?.remove();
  }
}

/** What makes a run fail its correctness checks; empty when it passed. */
export function signupProblems(result: SignupResult): string[] {
  const found: string[] = [];
  if (result.accepted === 0) found.push("no sign-up was accepted");
  if (result.lost > 0) found.push(`${result.lost} accepted sign-ups missing from D1`);
  if (result.unconfirmed > 0) found.push(`${result.unconfirmed} accepted sign-ups without a confirmation mail`);
  return found;
}
