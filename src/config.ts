/**
 * The one place that reads and validates the Worker's environment.
 *
 * Secrets never get defaults: a Worker missing SIGNING_SECRET or PUBLIC_BASE_URL is
 * misconfigured and must answer 503 rather than sign with a guessable key or mail
 * links that lead nowhere.
 */
export interface Config {
  environment: "development" | "production";
  /** Absolute origin used in every link we send, without a trailing slash. */
  publicBaseUrl: string;
  mailFrom: string;
  senderPostalAddress: string;
  /** `null` means outbox mode: mail is stored in D1 and listed at /dev/outbox. */
  resend: { apiKey: string; baseUrl: string } | null;
  signingSecret: string;
  /** `null` disables the operator endpoints. */
  adminToken: string | null;
  /** Cloudflare Turnstile on sign-ups; `null` when the keys are not set. */
  turnstile: { siteKey: string; secretKey: string; verifyUrl: string } | null;
  /** Comma-separated domains refused at sign-up; `*.` matches subdomains. */
  domainBlocklist: string;
  /** Svix signing secret of the Resend webhook (`whsec_…`); `null` disables /webhooks/resend. */
  resendWebhookSecret: string | null;
  digest: DigestSettings;
}

interface DigestSettings {
  /** Hugging Face Daily Papers endpoint (without query). */
  papersApiUrl: string;
  /** "sample": no request at all, as if Hugging Face were unreachable (local development offline). */
  papersSource: "huggingface" | "sample";
  /** How many papers the web edition shows (archive, feed, home page, the admin preview); readers choose their own. */
  size: number;
  /** UTC hour after which a day whose source stayed down is skipped. */
  deadlineHour: number;
  /** Calls per second to Resend across every consumer. */
  resendMaxRps: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const MIN_SECRET_LENGTH = 32;
const DEFAULT_RESEND_BASE_URL = "https://api.resend.com";
const DEFAULT_TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const DEFAULT_PAPERS_API_URL = "https://huggingface.co/api/daily_papers";

type RawEnv = Partial<Record<keyof Env, unknown>>;

const cache = new WeakMap<object, ConfigResult>();

/** Reads `env` once per binding object; later calls return the same verdict. */
export function readConfig(env: RawEnv): ConfigResult {
  let result = cache.get(env);
  if (!result) {
    result = parseConfig(env);
    cache.set(env, result);
  }
  return result;
}

export function parseConfig(env: RawEnv): ConfigResult {
  const problems: string[] = [];
  const text = (name: keyof Env): string | undefined => {
    const value = env[name];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };

  const publicBaseUrl = parseOrigin(text("PUBLIC_BASE_URL"), "PUBLIC_BASE_URL", problems, { required: true });
  const signingSecret = text("SIGNING_SECRET");
  if (!signingSecret) problems.push("SIGNING_SECRET is not set");
  else if (signingSecret.length < MIN_SECRET_LENGTH)
    problems.push(`SIGNING_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);

  const resendBaseUrl =
    parseOrigin(text("RESEND_BASE_URL"), "RESEND_BASE_URL", problems, { required: false, keepPath: true }) ??
    DEFAULT_RESEND_BASE_URL;
  const apiKey = text("RESEND_API_KEY");

  const mailFrom = text("MAIL_FROM");
  if (!mailFrom) problems.push("MAIL_FROM is not set");
  const senderPostalAddress = text("SENDER_POSTAL_ADDRESS");
  if (!senderPostalAddress) problems.push("SENDER_POSTAL_ADDRESS is not set");

  const papersApiUrl =
    parseOrigin(text("PAPERS_API_URL"), "PAPERS_API_URL", problems, { required: false, keepPath: true }) ??
    DEFAULT_PAPERS_API_URL;
  const environment = text("ENVIRONMENT") === "development" ? "development" : "production";
  const papersSource = text("PAPERS_SOURCE") ?? "huggingface";
  if (papersSource !== "huggingface" && papersSource !== "sample") problems.push(`PAPERS_SOURCE must be "huggingface" or "sample", got "${papersSource}"`);
  // Production never sends made-up news.
  else if (papersSource === "sample" && environment !== "development") problems.push('PAPERS_SOURCE="sample" is for local development (ENVIRONMENT=development) only');
  const size = parseInteger(text("DIGEST_SIZE"), "DIGEST_SIZE", { min: 1, max: 30, fallback: 10 }, problems);
  const deadlineHour = parseInteger(text("DIGEST_DEADLINE_HOUR"), "DIGEST_DEADLINE_HOUR", { min: 0, max: 23, fallback: 12 }, problems);
  const resendMaxRps = parseInteger(text("RESEND_MAX_RPS"), "RESEND_MAX_RPS", { min: 1, max: 100, fallback: 2 }, problems);

  const siteKey = text("TURNSTILE_SITE_KEY");
  const secretKey = text("TURNSTILE_SECRET_KEY");
  if (Boolean(siteKey) !== Boolean(secretKey))
    problems.push("TURNSTILE_SITE_KEY and TURNSTILE_SECRET_KEY must be set together");
  const turnstileVerifyUrl =
    parseOrigin(text("TURNSTILE_VERIFY_URL"), "TURNSTILE_VERIFY_URL", problems, { required: false, keepPath: true }) ??
    DEFAULT_TURNSTILE_VERIFY_URL;

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      environment,
      publicBaseUrl: publicBaseUrl!,
      mailFrom: mailFrom!,
      senderPostalAddress: senderPostalAddress!,
      resend: apiKey ? { apiKey, baseUrl: resendBaseUrl } : null,
      signingSecret: signingSecret!,
      adminToken: text("ADMIN_TOKEN") ?? null,
      resendWebhookSecret: text("RESEND_WEBHOOK_SECRET") ?? null,
      turnstile: siteKey && secretKey ? { siteKey, secretKey, verifyUrl: turnstileVerifyUrl } : null,
      domainBlocklist: text("DOMAIN_BLOCKLIST") ?? "",
      digest: { papersApiUrl, papersSource: papersSource as DigestSettings["papersSource"], size, deadlineHour, resendMaxRps },
    },
  };
}

function parseOrigin(
  value: string | undefined,
  name: string,
  problems: string[],
  options: { required: boolean; keepPath?: boolean },
): string | undefined {
  if (value === undefined) {
    if (options.required) problems.push(`${name} is not set`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} must be an absolute URL, got "${value}"`);
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push(`${name} must use http or https, got "${value}"`);
    return undefined;
  }
  return options.keepPath ? url.href.replace(/\/+$/, "") : url.origin;
}

function parseInteger(
  value: string | undefined,
  name: string,
  range: { min: number; max: number; fallback: number },
  problems: string[],
): number {
  if (value === undefined) return range.fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < range.min || number > range.max) {
    problems.push(`${name} must be a whole number from ${range.min} to ${range.max}, got "${value}"`);
    return range.fallback;
  }
  return number;
}
