import autocannon from "autocannon";
import { createLocalState, type DevWorker, type LocalState, startDevWorker } from "../../test/support/dev-worker";
import { deliveryFaults } from "../../test/support/exactly-once";
import { busyDayPapers, hfItemsOf } from "../../test/support/hf-items";
import { type MockUpstream, startMockUpstream } from "../../test/support/mock-upstream";
import { sleep } from "../../test/support/processes";
import { dueDailyEdition, triggerSend, waitUntilSettled } from "./admin";
import { sharedBenchWorker } from "./bundle";
import { percentile } from "./report";
import { seedActiveSubscribers } from "./seed";

export interface SignupOptions {
  /** Seconds of load per route. */
  durationSeconds?: number;
  connections?: number;
  /** RESEND_MAX_RPS, and the mock's own limit. */
  rps?: number;
  /** Also run the sign-ups while a digest to this many subscribers goes out (0: not). */
  digestSubscribers?: number;
  /** Also send this many sign-ups within 10 s and time their confirmations (0: not). */
  burst?: number;
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
  /** requests/s relative to GET /healthz in the same run. */
  ratio: number;
}

/** From a request to the mock accepting the mail it asked for, in ms. */
interface MailLatency {
  mails: number;
  /** Asked for and never accepted by the end of the run. */
  missing: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface SignupResult {
  options: Required<Omit<SignupOptions, "log">>;
  routes: RouteFigures[];
  confirmationMail: MailLatency;
  welcomeMail: MailLatency;
  /** Accepted sign-ups with no subscriber row afterwards. */
  lost: number;
  duringDigest: { route: RouteFigures; confirmationMail: MailLatency; digest: { recipients: number; duplicates: number; misses: number } } | null;
  burst: { signups: number; spreadMs: number; lastMailAfterLastSignupMs: number; confirmationMail: MailLatency } | null;
}

/** Each request comes from its own client address, as real sign-ups do: one address meets SIGNUP_LIMITER after 10 a minute. */
let clients = 0;
const nextClientIp = () => {
  clients += 1;
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
};

/**
 * The sign-up journey under load against the real Worker (wrangler dev, local D1 and Queues) and
 * the mock Resend limited to RESEND_MAX_RPS: the static `GET /healthz` (the baseline), `POST
 * /subscribe` with a new address per request, then `POST /confirm` with the links those
 * confirmation mails carried; how long each mail took from the request to Resend; optionally the
 * same sign-ups while a digest goes out, and a burst.
 */
export async function runSignup(input: SignupOptions = {}): Promise<SignupResult> {
  const options = {
    durationSeconds: input.durationSeconds ?? 10,
    connections: input.connections ?? 10,
    rps: input.rps ?? 2,
    digestSubscribers: input.digestSubscribers ?? 0,
    burst: input.burst ?? 0,
  };
  const log = input.log ?? (() => {});
  // The edition every seeded reader (07:00 UTC) is due for now: sending it freezes them all at once.
  const digestEdition = dueDailyEdition();
  let state: LocalState | null = null;
  let mock: MockUpstream | null = null;
  let worker: DevWorker | null = null;
  try {
    state = await createLocalState();
    // paperboy as deployed: the counting D1 wrapper of the other benchmarks would tax every sign-up.
    const script = await sharedBenchWorker("deployed");
    const digestReaders = await seedActiveSubscribers(state, options.digestSubscribers);
    mock = await startMockUpstream({
      compactBodies: true,
      settings: { rateLimitPerSecond: options.rps, papers: { [digestEdition]: hfItemsOf(busyDayPapers(10)) } },
    });
    worker = await startDevWorker({
      state,
      script,
      resendApiKey: "re_bench",
      vars: { RESEND_MAX_RPS: String(options.rps), RESEND_BASE_URL: mock.url, PAPERS_API_URL: `${mock.url}/api/daily_papers` },
    });
    const load = loader(worker.url, options, log);
    const baseline = await load("GET /healthz", { method: "GET", path: "/healthz" });
    const signups = await loadSignups(load, "POST /subscribe", "steady");
    const confirmationMail = await mailLatency(mock, signups.requestedAt, "Confirm your paperboy subscription");
    const links = confirmLinks(mock, signups.accepted);
    const confirms = await loadConfirms(load, links);
    const welcomeMail = await mailLatency(mock, confirms.requestedAt, "Welcome to paperboy");

    let duringDigest: (Omit<NonNullable<SignupResult["duringDigest"]>, "route"> & { route: Omit<RouteFigures, "ratio"> }) | null = null;
    if (options.digestSubscribers > 0) {
      log(`sending a digest to ${options.digestSubscribers} subscribers while people sign up`);
      const trigger = await triggerSend(worker.url, digestEdition);
      if (trigger.status !== 202) throw new Error(`admin send answered ${trigger.status}: ${JSON.stringify(trigger.body)}`);
      const during = await loadSignups(load, "POST /subscribe during a digest", "digest");
      const mail = await mailLatency(mock, during.requestedAt, "Confirm your paperboy subscription");
      const timeoutMs = (options.digestSubscribers / (100 * options.rps)) * 3000 + 60_000;
      await waitUntilSettled(worker.url, digestEdition, { timeoutMs, stalledMs: 60_000 });
      const digestMails = mock.state.deliveries.filter((delivery) => delivery.idempotencyKey?.startsWith(`digest/${digestEdition}/`));
      const { duplicates, misses } = deliveryFaults(digestReaders, digestMails);
      duringDigest = { route: during.figures, confirmationMail: mail, digest: { recipients: digestMails.length, duplicates, misses } };
    }

    let burst: SignupResult["burst"] = null;
    if (options.burst > 0) {
      log(`a burst of ${options.burst} sign-ups within 10 s`);
      const requestedAt = new Map<string, number>();
      await autocannon({
        url: worker.url,
        connections: options.connections,
        amount: options.burst,
        overallRate: options.burst / 10,
        requests: [signupRequest("burst", requestedAt)],
      });
      const mail = await mailLatency(mock, requestedAt, "Confirm your paperboy subscription", 60_000);
      const times = [...requestedAt.values()];
      const lastSignup = Math.max(...times);
      const mailTimes = mock.state.deliveries.filter((delivery) => requestedAt.has(delivery.to)).map((delivery) => delivery.at);
      burst = {
        signups: requestedAt.size,
        spreadMs: lastSignup - Math.min(...times),
        lastMailAfterLastSignupMs: Math.max(...mailTimes) - lastSignup,
        confirmationMail: mail,
      };
    }
    await worker.stop();
    worker = null;
    const ratio = (route: Omit<RouteFigures, "ratio">) => ({ ...route, ratio: route.requestsPerSecond / (baseline.requestsPerSecond || 1) });
    return {
      options,
      routes: [baseline, signups.figures, confirms.figures].map(ratio),
      confirmationMail,
      welcomeMail,
      lost: signups.accepted.filter((email) => !links.has(email)).length,
      duringDigest: duringDigest && { ...duringDigest, route: ratio(duringDigest.route) },
      burst,
    };
  } finally {
    await worker?.kill();
    await mock?.close();
    await state?.remove();
  }
}

/** Loads one route for the run's duration, or for exactly `amount` requests. */
type Load = (route: string, request: autocannon.Request, amount?: number) => Promise<Omit<RouteFigures, "ratio">>;

function loader(url: string, options: { durationSeconds: number; connections: number }, log: (line: string) => void): Load {
  return async (route, request, amount) => {
    log(`${route}: ${amount ? `${amount} requests` : `${options.durationSeconds} s`} with ${options.connections} connections`);
    const limit = amount ? { amount } : { duration: options.durationSeconds };
    const result = await autocannon({ url, connections: options.connections, ...limit, requests: [request] });
    return {
      route,
      requests: result.requests.total,
      requestsPerSecond: result.requests.total / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.non2xx + result.errors + result.timeouts,
    };
  };
}

/** A sign-up with a new address from a new client per request; `requestedAt` learns when each was sent. */
function signupRequest(tag: string, requestedAt: Map<string, number>, accepted?: string[]): autocannon.Request {
  const run = Date.now().toString(36);
  let sequence = 0;
  return {
    method: "POST",
    path: "/subscribe",
    setupRequest: (req, context) => {
      sequence += 1;
      const email = `${tag}-${run}-${sequence}@bench.example`;
      (context as { email?: string }).email = email;
      requestedAt.set(email, Date.now());
      const headers = { ...req.headers, "content-type": "application/json", "cf-connecting-ip": nextClientIp() };
      return { ...req, headers, body: JSON.stringify({ email }) };
    },
    onResponse: (status, _body, context) => {
      if (status === 202) accepted?.push((context as { email: string }).email);
    },
  };
}

async function loadSignups(load: Load, route: string, tag: string) {
  const requestedAt = new Map<string, number>();
  const accepted: string[] = [];
  const figures = await load(route, signupRequest(tag, requestedAt, accepted));
  // Only the ones answered 202 asked for a mail.
  const answered = new Set(accepted);
  for (const email of requestedAt.keys()) if (!answered.has(email)) requestedAt.delete(email);
  return { figures, accepted, requestedAt };
}

/** Presses each confirmation mail's button, as its reader would; `requestedAt` is keyed by address. */
async function loadConfirms(load: Load, links: Map<string, string>) {
  const queue = [...links.entries()];
  const requestedAt = new Map<string, number>();
  const figures = await load(
    "POST /confirm",
    {
      method: "POST",
      path: "/confirm",
      setupRequest: (req) => {
        const next = queue.shift()!;
        requestedAt.set(next[0], Date.now());
        const token = new URL(next[1]).searchParams.get("token") ?? "";
        const headers = { ...req.headers, "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": nextClientIp() };
        return { ...req, headers, body: new URLSearchParams({ token }).toString() };
      },
    },
    queue.length, // each link once
  );
  return { figures, requestedAt };
}

/** The confirmation link each accepted sign-up's mail carried, read from its text part. */
function confirmLinks(mock: MockUpstream, accepted: string[]): Map<string, string> {
  const wanted = new Set(accepted);
  const links = new Map<string, string>();
  for (const delivery of mock.state.deliveries) {
    if (!wanted.has(delivery.to)) continue;
    const link = /https?:\/\/\S+\/confirm\?token=[A-Za-z0-9._-]+/.exec(delivery.text ?? "")?.[0];
    if (link) links.set(delivery.to, link);
  }
  return links;
}

/** Waits (at most `waitMs`) for every asked-for mail with this subject, then measures request to acceptance. */
async function mailLatency(mock: MockUpstream, requestedAt: Map<string, number>, subject: string, waitMs = 30_000): Promise<MailLatency> {
  const acceptedAt = () => {
    const found = new Map<string, number>();
    for (const delivery of mock.state.deliveries)
      if (delivery.subject === subject && requestedAt.has(delivery.to) && !found.has(delivery.to)) found.set(delivery.to, delivery.at);
    return found;
  };
  const until = Date.now() + waitMs;
  while (acceptedAt().size < requestedAt.size && Date.now() < until) await sleep(250);
  const found = acceptedAt();
  const latencies = [...found.entries()].map(([email, at]) => at - requestedAt.get(email)!).sort((a, b) => a - b);
  return {
    mails: requestedAt.size,
    missing: requestedAt.size - found.size,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxMs: latencies.at(-1) ?? 0,
  };
}

/** What makes a run fail its correctness checks; empty when it passed. */
export function signupProblems(result: SignupResult): string[] {
  const found: string[] = [];
  if (result.confirmationMail.mails === 0) found.push("no sign-up was accepted");
  if (result.lost > 0) found.push(`${result.lost} accepted sign-ups without a confirmation link`);
  for (const [what, mail] of [
    ["confirmation", result.confirmationMail],
    ["welcome", result.welcomeMail],
    ["confirmation during the digest", result.duringDigest?.confirmationMail],
    ["confirmation in the burst", result.burst?.confirmationMail],
  ] as const)
    if (mail && mail.missing > 0) found.push(`${mail.missing} ${what} mails never reached Resend`);
  const digest = result.duringDigest?.digest;
  if (digest && (digest.duplicates > 0 || digest.misses > 0)) found.push(`digest: ${digest.duplicates} duplicates, ${digest.misses} misses`);
  return found;
}
