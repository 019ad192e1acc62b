import { describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { parseConfig, readConfig } from "../../src/config";

const GOOD = {
  ENVIRONMENT: "production",
  PUBLIC_BASE_URL: "https://paperboy.example",
  SIGNING_SECRET: "s".repeat(32),
  ADMIN_TOKEN: "admin-token",
  RESEND_API_KEY: "re_live_key",
  RESEND_BASE_URL: "https://api.resend.com",
  MAIL_FROM: "paperboy <digest@paperboy.example>",
  SENDER_POSTAL_ADDRESS: "paperboy, 1 Example Street, 00000 Example City",
};

function problemsOf(env: Record<string, unknown>): string[] {
  const result = parseConfig(env);
  return result.ok ? [] : result.problems;
}

describe("parseConfig", () => {
  it("reads a complete production environment", () => {
    const result = parseConfig(GOOD);
    expect(result.ok).toBe(true);
    expect(result).toMatchObject({
      config: {
        environment: "production",
        publicBaseUrl: "https://paperboy.example",
        mailFrom: "paperboy <digest@paperboy.example>",
        senderPostalAddress: "paperboy, 1 Example Street, 00000 Example City",
        resend: { apiKey: "re_live_key", baseUrl: "https://api.resend.com" },
        signingSecret: "s".repeat(32),
        adminToken: "admin-token",
      },
    });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["blank", "   "],
  ])("fails when SIGNING_SECRET is %s", (_name, value) => {
    expect(problemsOf({ ...GOOD, SIGNING_SECRET: value })).toEqual(["SIGNING_SECRET is not set"]);
  });

  it("fails when SIGNING_SECRET is shorter than 32 characters, and accepts exactly 32", () => {
    expect(problemsOf({ ...GOOD, SIGNING_SECRET: "s".repeat(31) })).toEqual(["SIGNING_SECRET must be at least 32 characters"]);
    expect(parseConfig({ ...GOOD, SIGNING_SECRET: "s".repeat(32) }).ok).toBe(true);
  });

  it.each([
    ["missing", undefined, "PUBLIC_BASE_URL is not set"],
    ["empty, as wrangler.toml ships it", "", "PUBLIC_BASE_URL is not set"],
    ["not a URL", "paperboy.example", 'PUBLIC_BASE_URL must be an absolute URL, got "paperboy.example"'],
    ["not http", "ftp://paperboy.example", 'PUBLIC_BASE_URL must use http or https, got "ftp://paperboy.example"'],
    ["a javascript: URL", "javascript:alert(1)", 'PUBLIC_BASE_URL must use http or https, got "javascript:alert(1)"'],
  ])("fails when PUBLIC_BASE_URL is %s", (_name, value, problem) => {
    expect(problemsOf({ ...GOOD, PUBLIC_BASE_URL: value })).toEqual([problem]);
  });

  it("keeps only the origin of PUBLIC_BASE_URL, so links never get a double slash", () => {
    const result = parseConfig({ ...GOOD, PUBLIC_BASE_URL: "https://paperboy.example/" });
    expect(result.ok && result.config.publicBaseUrl).toBe("https://paperboy.example");
  });

  it("lists every problem at once", () => {
    expect(problemsOf({ ...GOOD, SIGNING_SECRET: "", PUBLIC_BASE_URL: "", MAIL_FROM: "", SENDER_POSTAL_ADDRESS: "" })).toEqual([
      "PUBLIC_BASE_URL is not set",
      "SIGNING_SECRET is not set",
      "MAIL_FROM is not set",
      "SENDER_POSTAL_ADDRESS is not set",
    ]);
  });

  it("fails on a bad RESEND_BASE_URL instead of sending mail somewhere else", () => {
    expect(problemsOf({ ...GOOD, RESEND_BASE_URL: "not a url" })).toEqual([
      'RESEND_BASE_URL must be an absolute URL, got "not a url"',
    ]);
  });

  it("keeps a RESEND_BASE_URL path (a proxy or mock) without the trailing slash", () => {
    const result = parseConfig({ ...GOOD, RESEND_BASE_URL: "http://127.0.0.1:9999/resend/" });
    expect(result.ok && result.config.resend).toEqual({ apiKey: "re_live_key", baseUrl: "http://127.0.0.1:9999/resend" });
  });

  it("uses Resend's public API when RESEND_BASE_URL is unset", () => {
    const result = parseConfig({ ...GOOD, RESEND_BASE_URL: undefined });
    expect(result.ok && result.config.resend?.baseUrl).toBe("https://api.resend.com");
  });

  it.each([["unset", undefined], ["empty", ""]])("switches to outbox mode when RESEND_API_KEY is %s", (_name, value) => {
    const result = parseConfig({ ...GOOD, RESEND_API_KEY: value });
    expect(result.ok && result.config.resend).toBeNull();
  });

  it("disables the operator endpoints when ADMIN_TOKEN is unset", () => {
    const result = parseConfig({ ...GOOD, ADMIN_TOKEN: "" });
    expect(result.ok && result.config.adminToken).toBeNull();
  });

  it("treats anything but ENVIRONMENT=development as production", () => {
    for (const [value, expected] of [
      ["development", "development"],
      ["production", "production"],
      ["test", "production"],
      [undefined, "production"],
    ] as const) {
      const result = parseConfig({ ...GOOD, ENVIRONMENT: value });
      expect(result.ok && result.config.environment).toBe(expected);
    }
  });

  it("ignores values that are not strings", () => {
    expect(problemsOf({ ...GOOD, SIGNING_SECRET: 12345678901234567890123456789012345 })).toEqual(["SIGNING_SECRET is not set"]);
  });
});

describe("readConfig", () => {
  it("gives the same verdict for the same env object without reading it again", () => {
    const env = { ...GOOD };
    const first = readConfig(env);
    env.SIGNING_SECRET = "";
    expect(readConfig(env)).toBe(first);
    expect(first.ok).toBe(true);
  });

  it("reads a different env object afresh", () => {
    expect(readConfig({ ...GOOD }).ok).toBe(true);
    expect(readConfig({ ...GOOD, SIGNING_SECRET: "" }).ok).toBe(false);
  });
});

describe("wrangler.toml", () => {
  it("runs one cron every five minutes: the outbox sweep, the quarter-hour slots and the hourly build all hang on it", () => {
    const crons = /^crons = (\[.*\])$/m.exec(wranglerToml)?.[1];
    expect(JSON.parse(crons ?? "[]")).toEqual(["*/5 * * * *"]);
  });
});
