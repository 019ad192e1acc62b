/**
 * paperboy's Worker in `wrangler dev` on loopback, for the browser tests and the benchmarks:
 * a throw-away local state (D1 with the migrations applied, queues), the Worker served from it,
 * and `d1Execute` to seed or inspect that state.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort, groupAlive, signalGroup, sleep, waitUntilReady, wranglerEnv } from "./processes";

/** The project directory (holds wrangler.toml). */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/** The Worker's secrets in every run: passing them in an env file also keeps wrangler from reading the developer's `.dev.vars`. */
export const ADMIN_TOKEN = "dev-worker-admin-token";
const SIGNING_SECRET = "dev-worker-signing-secret-0123456789abcdef";

/** A throw-away local D1 (and queue) state directory with the migrations applied. */
export interface LocalState {
  dir: string;
  remove(): Promise<void>;
}

export async function createLocalState(): Promise<LocalState> {
  const dir = await mkdtemp(join(tmpdir(), "paperboy-dev-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], 120_000);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}

/** Runs SQL (a file or one command) against the local D1 of `state` and returns the result rows. */
export async function d1Execute(state: LocalState, sql: { file: string } | { command: string }): Promise<unknown[]> {
  const source = "file" in sql ? ["--file", sql.file] : ["--command", sql.command];
  const { stdout } = await wrangler(["d1", "execute", "DB", "--local", "--persist-to", state.dir, "--json", ...source], 300_000);
  const parsed = JSON.parse(stdout) as { results?: unknown[] }[];
  return parsed.flatMap((part) => part.results ?? []);
}

async function wrangler(args: string[], timeout: number): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: wranglerEnv(),
      timeout,
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`, { cause: error });
  }
}

/**
 * Bundles a Worker entry into `outdir`, as `wrangler deploy --dry-run` does, and returns the
 * script. Running `wrangler dev --no-bundle` on that file pins the code for the whole run:
 * wrangler dev otherwise rebuilds and restarts the Worker (dropping its local queue) whenever
 * someone saves a file under src/.
 */
export async function bundleWorker(outdir: string, entry: string): Promise<string> {
  await wrangler(["deploy", "--dry-run", "--outdir", outdir, entry], 120_000);
  return join(outdir, basename(entry).replace(/\.[mc]?[jt]s$/, ".js"));
}

export interface DevWorkerOptions {
  state: LocalState;
  /** `--var` values on top of wrangler.toml's [vars]; ENVIRONMENT defaults to production. */
  vars?: Record<string, string>;
  /** RESEND_API_KEY; empty means the local outbox. */
  resendApiKey?: string;
  /** Serve on this port (e.g. the previous run's, after a kill); a free one otherwise. */
  port?: number;
  /** A script made by `bundleWorker`, run as is (`--no-bundle`); by default wrangler.toml's `main`. */
  script?: string;
  startTimeoutMs?: number;
}

/** A `wrangler dev` process group serving paperboy on loopback. */
export interface DevWorker {
  /** Loopback origin for requests from this process. */
  url: string;
  /** The Worker's PUBLIC_BASE_URL (`http://localhost:<port>`): what its links and a browser use. */
  publicUrl: string;
  port: number;
  /** wrangler's pid, which is also the process group of the workerd it starts. */
  pid: number;
  /** Everything wrangler printed so far (the last 2 MB). */
  output(): string;
  /** SIGTERM, then SIGKILL; waits until the whole process group is gone. */
  stop(): Promise<void>;
  /** SIGKILL to the whole group at once: a crash, as far as the Worker can tell. */
  kill(): Promise<void>;
}

const MAX_OUTPUT_CHARS = 2_000_000;

/**
 * Starts `wrangler dev` on loopback against `state` and resolves once `/healthz` answers.
 *
 * @example
 * const state = await createLocalState();
 * const worker = await startDevWorker({ state, vars: { RESEND_MAX_RPS: "10" } });
 * await fetch(`${worker.url}/healthz`);
 * await worker.stop();
 */
export async function startDevWorker(options: DevWorkerOptions): Promise<DevWorker> {
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const publicUrl = `http://localhost:${port}`;
  const envFile = join(options.state.dir, "worker.env");
  await writeFile(envFile, `SIGNING_SECRET=${SIGNING_SECRET}\nADMIN_TOKEN=${ADMIN_TOKEN}\nRESEND_API_KEY=${options.resendApiKey ?? ""}\n`);
  const vars = { ENVIRONMENT: "production", PUBLIC_BASE_URL: publicUrl, ...options.vars };
  const script = options.script ? [options.script, "--no-bundle"] : [];
  const child = spawn(
    process.execPath,
    [
      WRANGLER, "dev", ...script, "--config", join(ROOT, "wrangler.toml"),
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(inspectorPort),
      "--persist-to", options.state.dir,
      "--env-file", envFile,
      ...Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
      "--show-interactive-dev-session=false",
    ],
    // Its own process group, so that stopping it also stops the workerd processes it starts.
    { cwd: ROOT, env: wranglerEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const record = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > MAX_OUTPUT_CHARS * 1.5) output = output.slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout!.on("data", record);
  child.stderr!.on("data", record);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Last resort if the test or benchmark dies without stopping it.
  const killOnExit = () => signalGroup(child, "SIGKILL");
  process.once("exit", killOnExit);

  const stop = async (signal: NodeJS.Signals) => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, signal);
      const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!stopped) signalGroup(child, "SIGKILL");
    }
    // The leader may be gone while workerd lingers.
    for (let i = 0; i < 50 && groupAlive(child); i++) await sleep(100);
    signalGroup(child, "SIGKILL");
  };
  const worker: DevWorker = {
    url,
    publicUrl,
    port,
    pid: child.pid!,
    output: () => output,
    stop: () => stop("SIGTERM"),
    kill: () => stop("SIGKILL"),
  };
  try {
    await waitUntilReady(`${url}/healthz`, exited, options.startTimeoutMs ?? 90_000);
  } catch (error) {
    await worker.kill();
    throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output.slice(-8000)}`);
  }
  return worker;
}
