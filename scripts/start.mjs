#!/usr/bin/env node
// `npm start`: everything a fresh clone needs to run paperboy locally, then `wrangler dev`.
// Extra arguments go to wrangler (`npm start -- --port 8788 --var KEY:VALUE`).
import { spawnSync, spawn } from "node:child_process";
import { lookup } from "node:dns/promises";
import { copyFileSync, existsSync } from "node:fs";
import { offlineSettings, PAPERS_HOST } from "./lib/startup.mjs";

const args = process.argv.slice(2);

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (local defaults; outbox mail at /dev/outbox).");
}

const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], {
  stdio: "inherit",
  env: { ...process.env, CI: "true" }, // no interactive confirmation prompt
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const portIndex = args.findIndex((arg) => arg === "--port" || arg.startsWith("--port="));
const port = portIndex === -1 ? "8787" : args[portIndex].includes("=") ? args[portIndex].split("=")[1] : args[portIndex + 1];
const devArgs = ["dev", ...(portIndex === -1 ? ["--port", port] : [])];
// Links in local mail must point at the port we actually serve on.
if (!args.some((arg) => arg.includes("PUBLIC_BASE_URL"))) devArgs.push("--var", `PUBLIC_BASE_URL:http://localhost:${port}`);

// Offline, every request for papers would fail inside workerd and print a stack trace: say it once
// here instead, and have the Worker use its bundled sample papers without asking.
const offline = offlineSettings(args, await resolves(PAPERS_HOST));
if (offline.says) console.log(offline.says);
devArgs.push(...offline.devArgs);

// Local development is offline-friendly: no request for Cloudflare's `cf` object on start-up.
const dev = spawn("wrangler", [...devArgs, ...args], {
  stdio: "inherit",
  env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

/** Whether `host` has an address within three seconds (a DNS answer is what an offline machine lacks). */
async function resolves(host) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 3000).unref());
  return Promise.race([lookup(host).then(() => true, () => false), timeout]);
}
