#!/usr/bin/env node
// `npm run cron`: runs the local Worker's cron (started with `npm start`) the way Cloudflare would.
//   npm run cron                         once, now
//   npm run cron -- 2026-12-05T07:00Z    once, as if at that instant
//   npm run cron -- --days               every quarter hour of the next two days, so every reader's
//                                        morning comes: each confirmed reader gets today's editions
// Options: --port 8788 (default 8787).
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? null : args.splice(index, 2)[1];
};
const port = option("--port") ?? "8787";
const QUARTER = 15 * 60 * 1000;
const day = args.includes("--days");
const at = args.find((arg) => !arg.startsWith("--"));

const instants = [];
if (day) {
  const start = Math.floor(Date.now() / QUARTER) * QUARTER;
  for (let instant = start; instant <= start + 48 * 60 * 60 * 1000; instant += QUARTER) instants.push(instant);
} else {
  const instant = at === undefined ? Date.now() : Date.parse(at);
  if (!Number.isFinite(instant)) {
    console.error(`Not an instant: ${at}. Write it like 2026-12-05T07:00Z.`);
    process.exit(1);
  }
  instants.push(instant);
}

for (const instant of instants) {
  const url = `http://localhost:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("*/5 * * * *")}&time=${instant}`;
  const response = await fetch(url).catch((error) => {
    console.error(`The local Worker did not answer on port ${port} (${error.cause?.code ?? error.message}): start it with \`npm start\`.`);
    process.exit(1);
  });
  if (!response.ok) {
    console.error(`${new Date(instant).toISOString()}: the cron answered ${response.status}: ${await response.text()}`);
    process.exit(1);
  }
  // Give the queue a moment to freeze and send what this run asked for, as a real quarter hour would.
  if (day) await new Promise((resolve) => setTimeout(resolve, 150));
}
console.log(
  day
    ? `Ran the cron for every quarter hour until ${new Date(instants.at(-1)).toISOString()}: every reader's morning came. See /dev/outbox.`
    : `Ran the cron as of ${new Date(instants[0]).toISOString()}.`,
);
