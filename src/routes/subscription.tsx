/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { Hono } from "hono";
import { screenSignup } from "../abuse/screen-signup";
import { latestPublishedDigests } from "../digest/archive";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { AppError, wantsJson } from "../http/errors";
import { allowOnly, publicBody } from "../http/guards";
import { sameOriginForm } from "../http/security";
import { eraseSubscriber } from "../subscribers/privacy";
import type { LinkOutcome } from "../subscribers/subscription";
import { confirmSubscription, requestSubscription, resolveLink, resubscribe, unsubscribe } from "../subscribers/subscription";
import { HomePage } from "../views/home-page";
import {
  CheckInboxPage,
  ConfirmedPage,
  ConfirmPage,
  DataDeletedPage,
  ResubscribedPage,
  UnsubscribedPage,
  UnsubscribePage,
} from "../views/subscription-pages";

/** Sign-up, confirmation and unsubscribe: thin adapters over `subscribers/subscription`. */
export const subscriptionRoutes = new Hono<AppEnv>();

subscriptionRoutes.get("/", async (c) => {
  const { db, config } = c.var.services;
  const [latest] = await latestPublishedDigests(db, { limit: 1, size: config.digest.size, cadence: "daily" });
  return c.html(<HomePage latest={latest} turnstile={turnstileWidget(c)} />);
});

subscriptionRoutes.post("/subscribe", publicBody, sameOriginForm, async (c) => {
  const { services } = c.var;
  const body = await readBody(c, ["json", "form"]);
  // A form posted by a client that accepts only JSON is an API call too, and is answered like one.
  const api = body.kind === "json" || wantsJson(c);
  const answerAccepted = () => (api ? c.json({ status: "pending" }, 202) : c.html(<CheckInboxPage />));

  const screening = await screenSignup(services, body.fields, c.req.header("cf-connecting-ip") ?? null);
  // A bot that filled the trap field is told what a person would be, and nothing happens.
  if (screening.kind === "bot") return answerAccepted();
  if (screening.kind === "rate_limited")
    throw new AppError(429, "rate_limited", "Too many sign-ups from your network. Please wait a minute and try again.", {
      "Retry-After": String(screening.retryAfterSeconds),
    });
  if (screening.kind === "challenge_failed")
    throw screening.unavailable
      ? new AppError(503, "challenge_unavailable", "We couldn't check that you're human just now. Please try again in a minute.")
      : new AppError(403, "challenge_failed", "Please complete the \"verify you are human\" check and send the form again.");

  const outcome = await requestSubscription(services, body.fields.email);
  if (outcome.kind === "invalid_email" || outcome.kind === "blocked_domain") {
    const reason =
      outcome.kind === "invalid_email" ? outcome.reason : `We can't send paperboy to addresses at ${outcome.domain}. Please use another address.`;
    if (api) throw new AppError(422, outcome.kind, reason);
    const typed = typeof body.fields.email === "string" ? body.fields.email.slice(0, 254) : "";
    return c.html(<HomePage email={typed} error={reason} turnstile={turnstileWidget(c)} />, 422);
  }
  return answerAccepted();
});

subscriptionRoutes.get("/confirm", async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, "confirm");
  if (!link.ok) throw invalidLink({ kind: "invalid_link", problem: link.problem });
  return c.html(<ConfirmPage token={token!} />);
});

subscriptionRoutes.post("/confirm", publicBody, sameOriginForm, async (c) => {
  const body = await readBody(c, ["form"]);
  const outcome = await confirmSubscription(c.var.services, body.fields.token ?? c.req.query("token"));
  if (outcome.kind !== "done") throw invalidLink(outcome);
  return c.html(<ConfirmedPage email={outcome.subscriber.email} />);
});

subscriptionRoutes.get("/unsubscribe", async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, "unsubscribe");
  if (!link.ok) throw invalidLink({ kind: "invalid_link", problem: link.problem });
  return c.html(<UnsubscribePage token={token!} />);
});

// RFC 8058 one-click: mail providers POST `List-Unsubscribe=One-Click` here with no cookies and
// follow no redirects, from their own servers: no same-origin check. The token in the URL is all
// we need, so the body is not read.
subscriptionRoutes.post("/unsubscribe", publicBody, async (c) => {
  const token = c.req.query("token");
  const outcome = await unsubscribe(c.var.services, token);
  if (outcome.kind !== "done") throw invalidLink(outcome);
  return c.html(<UnsubscribedPage email={outcome.subscriber.email} token={token!} />);
});

subscriptionRoutes.post("/unsubscribe/delete", publicBody, sameOriginForm, async (c) => {
  const { services } = c.var;
  const link = await resolveLink(services, c.req.query("token"), "unsubscribe");
  if (!link.ok) throw invalidLink({ kind: "invalid_link", problem: link.problem });
  await eraseSubscriber(services.db, services.config.signingSecret, link.subscriber, "deleted_by_subscriber", services.clock.now());
  return c.html(<DataDeletedPage />);
});

subscriptionRoutes.post("/resubscribe", publicBody, sameOriginForm, async (c) => {
  const outcome = await resubscribe(c.var.services, c.req.query("token"));
  if (outcome.kind !== "done") throw invalidLink(outcome);
  return c.html(<ResubscribedPage email={outcome.subscriber.email} />);
});

allowOnly(subscriptionRoutes, "/", ["GET"]);
allowOnly(subscriptionRoutes, "/subscribe", ["POST"]);
allowOnly(subscriptionRoutes, "/confirm", ["GET", "POST"]);
allowOnly(subscriptionRoutes, "/unsubscribe", ["GET", "POST"]);
allowOnly(subscriptionRoutes, "/resubscribe", ["POST"]);
allowOnly(subscriptionRoutes, "/unsubscribe/delete", ["POST"]);

function turnstileWidget(c: Context<AppEnv>) {
  const siteKey = c.var.services.config.turnstile?.siteKey;
  return siteKey ? { siteKey, nonce: c.var.cspNonce } : undefined;
}

const LINK_PROBLEMS: Record<Extract<LinkOutcome, { kind: "invalid_link" }>["problem"], [string, string]> = {
  malformed: ["invalid_token", "This link is incomplete. Copy the whole link from the email into your browser."],
  forged: ["invalid_token", "This link is not valid. Copy the whole link from the email, or sign up again on the home page."],
  expired: ["expired_token", "This confirmation link has expired. Sign up again on the home page to get a fresh one."],
  wrong_purpose: ["invalid_token", "This link is meant for something else. Use the link from the right email."],
  revoked: ["revoked_token", "This link is no longer valid. Sign up again on the home page if you want the digest."],
  not_allowed: ["link_not_usable", "This link can't be used for this address any more. Sign up again on the home page."],
};

function invalidLink(outcome: Extract<LinkOutcome, { kind: "invalid_link" }>): AppError {
  const [code, message] = LINK_PROBLEMS[outcome.problem];
  return new AppError(400, code, message);
}
