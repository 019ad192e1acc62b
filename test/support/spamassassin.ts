/**
 * Runs Debian's SpamAssassin offline (`spamassassin -t -L`: test mode, local rules only, no DNS
 * or network checks) on one RFC 5322 message and reads its verdict.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SPAMASSASSIN_PATH = process.env.SPAMASSASSIN_PATH ?? "/usr/bin/spamassassin";
const INSTALL_HINT = "run `sudo apt-get install spamassassin` (Debian's package ships its rules; no sa-update needed)";

export interface SpamRule {
  name: string;
  score: number;
  description: string;
}

export interface SpamResult {
  /** SpamAssassin's total, every rule included. */
  score: number;
  rules: SpamRule[];
}

/**
 * Rules that fire only because the test scores the message before any transport touched it.
 * Each was checked by scoring the same message again with a Message-ID and a Received header
 * added (spam-score.test.ts does so on every run): these rules go, and no other rule changes.
 */
export const TRANSPORT_ONLY_RULES: readonly string[] = [
  // Resend's sending service (Amazon SES) gives every message a Message-ID; the JSON payload has none.
  "MISSING_MID",
  // Informational (-0.001 each): the receiving MX adds the first Received header, so a delivered
  // message always has one and has been relayed over SMTP.
  "NO_RECEIVED",
  "NO_RELAYS",
];

/**
 * Scores `message` and returns the total and every rule that fired. Exact scores come from an
 * added `X-Spam-Tests: _TESTSSCORES(,)_` header (the report rounds to one decimal), descriptions
 * from the report's "Content analysis details" table.
 *
 * HOME points at a fresh directory so the run reads no personal user_prefs or trained Bayes
 * database and autolearn writes nothing into the caller's: every machine scores alike. (SpamAssassin
 * still creates an empty ~/.spamassassin in the passwd home for DNS-rule state, unused offline.)
 */
export async function scoreWithSpamAssassin(message: string): Promise<SpamResult> {
  if (!existsSync(SPAMASSASSIN_PATH)) throw new Error(`SpamAssassin is not installed at ${SPAMASSASSIN_PATH}: ${INSTALL_HINT}`);
  const home = await mkdtemp(join(tmpdir(), "paperboy-sa-"));
  try {
    const output = await run(SPAMASSASSIN_PATH, ["-t", "-L", "--cf=add_header all Tests _TESTSSCORES(,)_"], message, { ...process.env, HOME: home });
    return parseReport(output);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** The score without the rules that only a missing transport header triggers. */
export function contentScore(result: SpamResult): number {
  const sum = result.rules.filter((rule) => !TRANSPORT_ONLY_RULES.includes(rule.name)).reduce((total, rule) => total + rule.score, 0);
  return Math.round(sum * 1000) / 1000;
}

/** One line per rule, for failure messages and logs. */
export function describeRules(rules: SpamRule[]): string {
  return rules.map((rule) => `${rule.score.toFixed(3).padStart(7)} ${rule.name.padEnd(24)} ${rule.description}`).join("\n");
}

function run(file: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env, timeout: 60_000, maxBuffer: 32 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed (${error.message}): ${stderr.trim()}`));
      else resolve(stdout);
    });
    child.stdin!.on("error", reject);
    child.stdin!.end(input, "utf8");
  });
}

/** Reads the verdict from `-t` output: the X-Spam-Tests header we asked for and the report SpamAssassin appends. */
function parseReport(output: string): SpamResult {
  const headerEnd = output.search(/\r?\n\r?\n/);
  const headers = output.slice(0, headerEnd).replace(/\r?\n[ \t]+/g, " ");
  const tests = /^X-Spam-Tests: *(.*)$/im.exec(headers)?.[1]?.trim();
  const status = /^X-Spam-Status: .*?score=(-?[\d.]+)/im.exec(headers);
  const reportAt = output.lastIndexOf("Content analysis details:");
  if (tests === undefined || !status || reportAt < 0) throw new Error(`SpamAssassin printed no report:\n${output.slice(0, 2000)}`);

  const scores = new Map<string, number>();
  for (const item of tests === "none" ? [] : tests.split(",")) {
    const [name = "", score = ""] = item.trim().split("=");
    if (name) scores.set(name, Number(score));
  }

  const descriptions = new Map<string, string>();
  let current: string | null = null;
  const table = output.slice(reportAt).split(/\r?\n/).slice(1);
  for (const line of table.slice(table.findIndex((row) => row.startsWith("----")) + 1)) {
    const rule = /^\s*-?\d+(?:\.\d+)?\s+([A-Za-z0-9_]+)\s+(.*)$/.exec(line);
    if (rule) {
      current = rule[1]!;
      descriptions.set(current, rule[2]!.trim());
    } else if (current && /^\s{10,}\S/.test(line)) {
      descriptions.set(current, `${descriptions.get(current)} ${line.trim()}`);
    } else break;
  }

  const rules = [...scores].map(([name, score]) => ({ name, score, description: descriptions.get(name) ?? "" }));
  return { score: Number(status[1]), rules: rules.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)) };
}
