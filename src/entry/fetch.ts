import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { readConfig } from "../config";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { renderError } from "../http/render-error";
import { requestLog } from "../http/request-log";
import { securityHeaders } from "../http/security";
import { createLogger } from "../lib/logger";
import { adminRoutes } from "../routes/admin";
import { archiveRoutes } from "../routes/archive";
import { devOutboxRoutes } from "../routes/dev-outbox";
import { manageRoutes } from "../routes/manage";
import { preferencesRoutes } from "../routes/preferences";
import { subscriptionRoutes } from "../routes/subscription";
import { webhookRoutes } from "../routes/webhooks";
import { createServices } from "../services";

/** The Worker's HTTP side: middleware every request passes, then one sub-app per area. */
export const app = new Hono<AppEnv>();

app.use(requestLog);
app.use(securityHeaders);

let reportedConfigProblem = false;

// A misconfigured Worker fails closed: every request gets a 503, and the log says why once.
app.use(async (c, next) => {
  const result = readConfig(c.env);
  if (!result.ok) {
    if (!reportedConfigProblem) {
      reportedConfigProblem = true;
      createLogger().error("configuration invalid", { problems: result.problems });
    }
    throw new AppError(503, "misconfigured", "paperboy is not configured yet. Please try again later.");
  }
  c.set("services", createServices(result.config, c.env, { requestId: c.var.requestId }));
  await next();
});

app.get("/healthz", (c) => c.text("ok"));
app.route("/", subscriptionRoutes);
app.route("/", manageRoutes);
app.route("/", preferencesRoutes);
app.route("/", archiveRoutes);
app.route("/dev/outbox", devOutboxRoutes);
app.route("/admin", adminRoutes);
app.route("/webhooks", webhookRoutes);

app.notFound(() => {
  throw new AppError(404, "not_found", "There is no page at this address.");
});

app.onError((error, c) => {
  if (error instanceof AppError) return renderError(c, error);
  if (error instanceof HTTPException && error.status < 500)
    return renderError(c, new AppError(error.status === 413 ? 413 : 400, "bad_request", error.message || "The request could not be read."));
  createLogger({ requestId: c.get("requestId") }).error("unhandled error", { error: String(error), stack: (error as Error).stack });
  return renderError(c, new AppError(500, "internal_error", "Something went wrong on our side. Please try again."));
});
