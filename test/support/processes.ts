/** Process helpers shared by the browser tests and the benchmarks, which both run `wrangler dev`. */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** Signals a child's whole process group (wrangler starts workerd as a grandchild). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the whole group has already exited.
  }
}

export function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * paperboy's settings, which a developer's shell might export: wrangler would pass them on to the
 * Worker (it reads secrets from process.env when `--env-file` is given) or use one to pick an environment.
 */
const PAPERBOY_SETTINGS = [
  "SIGNING_SECRET",
  "ADMIN_TOKEN",
  "RESEND_API_KEY",
  "RESEND_WEBHOOK_SECRET",
  "TURNSTILE_SECRET_KEY",
  "PUBLIC_BASE_URL",
  "ENVIRONMENT",
  "RESEND_BASE_URL",
  "MAIL_FROM",
  "SENDER_POSTAL_ADDRESS",
  "CLOUDFLARE_ENV",
];

/** The environment for a wrangler child: none of the developer's paperboy settings, no prompts, offline. */
export function wranglerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of PAPERBOY_SETTINGS) delete env[name];
  return {
    ...env,
    CI: "true", // no interactive prompts (migrations ask for confirmation otherwise)
    // Offline: no telemetry, no npm update check, no download of the Request.cf object.
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    NO_COLOR: "1",
  };
}

/** Polls `url` until it answers 200; fails early if the process behind it exits first. */
export async function waitUntilReady(url: string, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    if (gone) throw new Error("wrangler dev exited before it was ready");
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `GET ${url} answered ${response.status}`;
    } catch (error) {
      lastProblem = String((error as Error).cause ?? error);
    }
    await sleep(250);
  }
  throw new Error(`wrangler dev did not answer within ${timeoutMs / 1000} s (${lastProblem})`);
}
