/**
 * The health panel's numbers: the last cron runs and queue batches, the paper source's last answer,
 * and which settings are present. Values of settings never leave this file: only whether they are set.
 */
import type { Config } from "../config";
import { isoOrNull } from "../lib/text";
import { lastPapersAnswer, type PapersAnswerDetail } from "../papers/answers";
import { lastOkRunAt, recentRuns, type RunKind } from "./runs";

const RUNS_SHOWN = 10;
/** The cron runs every five minutes: three missed runs in a row is more than a hiccup. */
const CRON_OVERDUE_MS = 15 * 60 * 1000;

interface RunSummary {
  /** The run id its log lines carry. */
  id: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: "running" | "ok" | "failed";
  /** The cron's report, a queue batch's `{ messages, byKind, retried }`, or `{ error }` for a failed run. */
  detail: unknown;
}

interface RunsHealth {
  /** The newest first, at most 10. */
  runs: RunSummary[];
  /** When the newest run that went well started (in the 7 days kept); null when none did. */
  lastOkAt: string | null;
}

interface SettingHealth {
  /** The variable's name, as in wrangler.toml or `wrangler secret put`. */
  name: string;
  present: boolean;
  /** paperboy works without it only in a reduced way that production should not run in. */
  required: boolean;
  /** What its absence means. */
  note: string;
}

export interface Health {
  /** `overdue`: no cron run went well in the last 15 minutes. */
  cron: RunsHealth & { overdue: boolean };
  queue: RunsHealth;
  /** The last time Hugging Face was asked; `detail` says how many papers it listed or why they could not be used. */
  papers: { at: string; ok: boolean; detail: string } | null;
  configuration: SettingHealth[];
}

/**
 * Everything the health panel shows, as of `now`.
 *
 * @example
 * const health = await collectHealth(services.db, services.config, services.clock.now());
 * if (health.cron.overdue) …
 */
export async function collectHealth(db: D1Database, config: Config, now: number): Promise<Health> {
  const [cron, queue, papers] = await Promise.all([runsHealth(db, "cron"), runsHealth(db, "queue"), lastPapersAnswer(db)]);
  const lastOk = cron.lastOkAt === null ? null : Date.parse(cron.lastOkAt);
  return {
    cron: { ...cron, overdue: lastOk === null || now - lastOk > CRON_OVERDUE_MS },
    queue,
    papers: papers && { at: new Date(papers.at).toISOString(), ok: papers.ok, detail: describeAnswer(papers.detail) },
    configuration: configurationHealth(config),
  };
}

async function runsHealth(db: D1Database, kind: RunKind): Promise<RunsHealth> {
  const [runs, lastOkAt] = await Promise.all([recentRuns(db, kind, RUNS_SHOWN), lastOkRunAt(db, kind)]);
  return {
    runs: runs.map((run) => ({
      id: run.id,
      startedAt: new Date(run.startedAt).toISOString(),
      finishedAt: isoOrNull(run.finishedAt),
      outcome: run.outcome,
      detail: run.detail,
    })),
    lastOkAt: isoOrNull(lastOkAt),
  };
}

function describeAnswer(detail: PapersAnswerDetail): string {
  const requests = `${detail.attempts} request${detail.attempts === 1 ? "" : "s"}`;
  if ("error" in detail) return `${detail.error} (${requests})`;
  const dropped = detail.dropped > 0 ? `, ${detail.dropped} malformed dropped` : "";
  return `${detail.papers} paper${detail.papers === 1 ? "" : "s"} listed${dropped} (${requests})`;
}

/** RFC 2606's `.example`: wrangler.toml's placeholders, which no receiver would trust or reach. */
const PLACEHOLDER = /\bexample\b/i;

/** Each setting the operator provides, whether it is set (never its value), and what its absence means. */
function configurationHealth(config: Config): SettingHealth[] {
  const production = config.environment === "production";
  const senderDomain = /@([^>\s]+)>?\s*$/.exec(config.mailFrom)?.[1] ?? "";
  return [
    { name: "PUBLIC_BASE_URL", present: true, required: true, note: "Every link in every email starts with it; without it paperboy answers 503." },
    { name: "SIGNING_SECRET", present: true, required: true, note: "Signs every link; without it paperboy answers 503." },
    { name: "ADMIN_TOKEN", present: config.adminToken !== null, required: true, note: "Signs the operator in; unset, the operator endpoints refuse everyone." },
    {
      name: "RESEND_API_KEY",
      present: config.resend !== null,
      required: production,
      note: "Unset, every email goes to the local outbox (/dev/outbox) and nobody receives it.",
    },
    {
      name: "RESEND_WEBHOOK_SECRET",
      present: config.resendWebhookSecret !== null,
      required: production,
      note: "Unset, /webhooks/resend answers 404: bounces and complaints neither suppress addresses nor count against editions.",
    },
    {
      name: "MAIL_FROM",
      present: !PLACEHOLDER.test(senderDomain),
      required: true,
      note: "The sender of every email, on a domain verified in Resend; not set while it is still the .example placeholder.",
    },
    {
      name: "SENDER_POSTAL_ADDRESS",
      present: !PLACEHOLDER.test(config.senderPostalAddress),
      required: true,
      note: "Shown in every footer (CAN-SPAM); not set while it is still the example placeholder.",
    },
    { name: "TURNSTILE_SITE_KEY", present: config.turnstile !== null, required: false, note: "With TURNSTILE_SECRET_KEY: a Turnstile challenge on sign-ups. Both or neither." },
    { name: "TURNSTILE_SECRET_KEY", present: config.turnstile !== null, required: false, note: "With TURNSTILE_SITE_KEY: sign-ups are verified with Cloudflare. Both or neither." },
  ];
}
