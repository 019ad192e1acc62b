import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { allowOnly, publicBody } from "../http/guards";
import { recordDeliveryEvent } from "../webhooks/record";
import { parseResendEvent } from "../webhooks/resend-events";
import { verifySvix } from "../webhooks/svix";

/**
 * Resend's delivery events. Verified against the raw body before anything is parsed,
 * de-duplicated by `svix-id` (Resend retries with the same id), answered quickly.
 */
export const webhookRoutes = new Hono<AppEnv>();

webhookRoutes.use(publicBody);

webhookRoutes.post("/resend", async (c) => {
  const { config, db, clock } = c.var.services;
  const secret = config.resendWebhookSecret;
  if (!secret) throw new AppError(404, "not_found", "Webhooks are not configured.");
  const raw = await c.req.text();
  const verified = await verifySvix(
    secret,
    { id: c.req.header("svix-id") ?? null, timestamp: c.req.header("svix-timestamp") ?? null, signature: c.req.header("svix-signature") ?? null },
    raw,
    clock.now(),
  );
  if (!verified.ok) {
    if (verified.problem === "bad_secret") throw new AppError(503, "misconfigured", "The webhook secret is not valid base64.");
    const status = verified.problem === "bad_signature" ? 401 : 400;
    throw new AppError(status, verified.problem, "The webhook signature could not be verified.");
  }

  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new AppError(400, "invalid_json", "The webhook body is not valid JSON.");
  }
  const event = parseResendEvent(body);
  if (!event) throw new AppError(400, "invalid_event", "The webhook body is not a Resend email event.");
  return c.json({ status: await recordDeliveryEvent(db, verified.id, event, clock.now()) });
});

allowOnly(webhookRoutes, "/resend", ["POST"]);
