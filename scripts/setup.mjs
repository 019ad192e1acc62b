#!/usr/bin/env node
// Runs before `npm start` and `npm test` (as their pre-scripts), so both work on a fresh clone:
// installs the npm dependencies when they are missing or stale, and, for tests, Debian's
// Chromium for the browser suites and SpamAssassin for the spam score. Plain JavaScript: it may
// run on the machine's older Node.
import { execSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { installCommand } from "./lib/startup.mjs";

const wantsBrowser = process.argv.includes("--browser");

const installed = "node_modules/.package-lock.json";
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync("package-lock.json").mtimeMs) installDependencies();

/** `npm ci`, by the project's Node 24 when the machine's is older (see installCommand). */
function installDependencies() {
  const { command, says } = installCommand(process.versions.node, JSON.parse(readFileSync("package-lock.json", "utf8")));
  console.log(says);
  try {
    execSync(command, { stdio: "inherit" });
  } catch (error) {
    if (command.startsWith("npm ")) throw error;
    console.log(`The project's Node could not be fetched; installing with Node ${process.versions.node}.`);
    execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
  }
}

/**
 * Debian packages the tests need: Chromium for the browser suites, SpamAssassin (its rules ship in
 * the package; the test runs it offline) for the spam score. Installed with apt-get when root.
 */
const packages = [
  { name: "chromium", path: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", needs: "The browser tests need", override: "CHROMIUM_PATH" },
  { name: "spamassassin", path: process.env.SPAMASSASSIN_PATH ?? "/usr/bin/spamassassin", needs: "The spam-score test needs", override: "SPAMASSASSIN_PATH" },
];
const missing = wantsBrowser ? packages.filter((pkg) => !existsSync(pkg.path)) : [];
if (missing.length > 0) {
  const names = missing.map((pkg) => pkg.name).join(" ");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log(`Installing Debian's ${names} for the tests…`);
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${names}`, { stdio: "inherit" });
  } else {
    for (const pkg of missing)
      console.error(`${pkg.needs} ${pkg.name} at ${pkg.path}: run \`sudo apt-get install ${pkg.name}\` (or set ${pkg.override}).`);
    process.exit(1);
  }
}
