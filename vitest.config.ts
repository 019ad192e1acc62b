import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("./migrations");

/** Settings every Worker test runs with; tests override per case through their own env objects. */
export const TEST_VARS = {
  ENVIRONMENT: "test",
  PUBLIC_BASE_URL: "https://paperboy.test",
  SIGNING_SECRET: "test-signing-secret-0123456789abcdef",
  ADMIN_TOKEN: "test-admin-token",
  RESEND_API_KEY: "re_test_key",
  MAIL_FROM: "paperboy <digest@paperboy.test>",
  SENDER_POSTAL_ADDRESS: "paperboy, 1 Test Street, 12345 Testville",
  // Fast sends in tests; the pacing test sets its own limit.
  RESEND_MAX_RPS: "50",
  RESEND_WEBHOOK_SECRET: `whsec_${Buffer.from("paperboy-test-webhook-secret").toString("base64")}`,
};

export default defineConfig({
  test: {
    // The mock upstream is shared by every Worker test file; files run one after another.
    fileParallelism: false,
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Empty databases of their own, for the tests that upgrade a schema holding data.
              d1Databases: { UPGRADE_DB: "paperboy-upgrade-test", UPGRADE_DB_0007: "paperboy-upgrade-0007-test" },
              bindings: {
                ...TEST_VARS,
                RESEND_BASE_URL: inject("mockUpstreamUrl"),
                PAPERS_API_URL: `${inject("mockUpstreamUrl")}/api/daily_papers`,
                TEST_MIGRATIONS: migrations,
              },
            },
          })),
        ],
        test: {
          name: "worker",
          // The Worker logs from its queue consumer in the background, after a file's last test
          // may have ended; routed through Vitest's RPC such a line can still be in flight when the
          // file is torn down, failing a green run (vitest-dev/vitest#11153). Printed by workerd
          // straight to stdout instead, nothing is left pending.
          disableConsoleIntercept: true,
          include: ["test/worker/**/*.test.{ts,tsx}"],
          setupFiles: ["test/worker/setup.ts"],
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts", "test/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
