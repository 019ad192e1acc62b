import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, groupAlive, signalGroup, sleep, waitUntilReady, wranglerEnv } from "../../support/processes";

/** A `wrangler dev` process serving paperboy from its own throw-away local state. */
export interface DevWorker {
  /** Origin the browser uses, e.g. `http://localhost:41234`; also the Worker's PUBLIC_BASE_URL. */
  url: string;
  /** Everything wrangler printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface DevWorkerOptions {
  /** The project directory holding wrangler.toml. */
  root: string;
  /** How long wrangler may take to answer its first request. */
  startTimeoutMs?: number;
}

// The Worker's settings for this run. Secrets go in an env file: passing `--env-file` also stops
// wrangler from reading the developer's `.dev.vars`, which may hold a real RESEND_API_KEY.
// An empty RESEND_API_KEY means outbox mode, so the mail lands at /dev/outbox.
const SECRETS = {
  SIGNING_SECRET: "browser-test-signing-secret-0123456789abcdef",
  ADMIN_TOKEN: "browser-test-admin-token",
  RESEND_API_KEY: "",
};

const MAX_OUTPUT_CHARS = 200_000;

/**
 * Applies the D1 migrations to a fresh temporary state directory, starts `wrangler dev` on a free
 * port against it and resolves once the home page answers.
 *
 * @example
 * const worker = await startDevWorker({ root: process.cwd() });
 * await fetch(worker.url);
 * await worker.stop();
 */
export async function startDevWorker({ root, startTimeoutMs = 90_000 }: DevWorkerOptions): Promise<DevWorker> {
  const stateDir = await mkdtemp(join(tmpdir(), "paperboy-browser-"));
  const removeState = () => rm(stateDir, { recursive: true, force: true });
  const envFile = join(stateDir, "worker.env");
  await writeFile(envFile, Object.entries(SECRETS).map(([key, value]) => `${key}=${value}\n`).join(""));

  const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const env = wranglerEnv();
  try {
    await promisify(execFile)(
      process.execPath,
      [wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
      { cwd: root, env, timeout: 60_000 },
    );
  } catch (error) {
    await removeState();
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`wrangler d1 migrations apply failed:\n${stdout}\n${stderr}`, { cause: error });
  }

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://localhost:${port}`;
  const child = spawn(
    process.execPath,
    [
      wrangler, "dev",
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(inspectorPort),
      "--persist-to", stateDir,
      "--env-file", envFile,
      "--var", "ENVIRONMENT:development",
      "--var", `PUBLIC_BASE_URL:${url}`,
      "--show-interactive-dev-session=false",
    ],
    // Its own process group, so stopping it also stops the workerd processes it starts.
    { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );

  let output = "";
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout!.on("data", record);
  child.stderr!.on("data", record);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // Last resort if the test process dies without running afterAll.
  const killOnExit = () => signalGroup(child, "SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.off("exit", killOnExit);
    await stopGroup(child, exited);
    await removeState();
  };

  try {
    await waitUntilReady(`http://127.0.0.1:${port}/`, exited, startTimeoutMs);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output}`);
  }
  return { url, output: () => output, stop };
}



async function stopGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    signalGroup(child, "SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!stopped) signalGroup(child, "SIGKILL");
  }
  // The leader may be gone while workerd lingers; give the group a moment, then make sure.
  for (let i = 0; i < 20 && groupAlive(child); i++) await sleep(100);
  signalGroup(child, "SIGKILL");
}
