#!/usr/bin/env node
// Runs before `npm start` and `npm test` (as their pre-scripts), so both work on a fresh clone:
// installs the npm dependencies when they are missing or stale, and, for tests, Debian's
// Chromium for the browser suites. Plain JavaScript: it may run on the machine's older Node.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const wantsBrowser = process.argv.includes("--browser");

const installed = "node_modules/.package-lock.json";
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync("package-lock.json").mtimeMs) {
  console.log("Installing npm dependencies (npm ci)…");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (wantsBrowser && !existsSync(chromium)) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Debian's chromium for the browser tests…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
  } else {
    console.error(`The browser tests need Chromium at ${chromium}: run \`sudo apt-get install chromium\` (or set CHROMIUM_PATH).`);
    process.exit(1);
  }
}
