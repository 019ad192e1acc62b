/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { latestPublishedDigests } from "../digest/archive";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { AppError, wantsJson } from "../http/errors";
import { allowOnly, publicBody } from "../http/guards";
import { seeOtherOrShow, showsState, turnstileWidget } from "../http/navigation";
import { sameOriginForm } from "../http/security";
import { parseBodyFields } from "../http/validate";
import { parseEmailAddress } from "../subscribers/address";
import { signupChoices } from "../subscribers/choices";
import { PreferenceFields } from "../subscribers/preferences";
import { confirmSubscription, requestSubscription, resolveLink } from "../subscribers/subscription";
import { HomePage } from "../views/home-page";
import { CheckInboxPage, LinkPage } from "../views/subscription-pages";
import { justDone } from "./just-done";
import { invalidLink } from "./link-problems";
import { screenMailRequest } from "./screening";

/** Sign-up and confirmation: thin adapters over `subscribers/subscription`. */
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
  const answerAccepted = (suggestion: string | null) => {
    if (api) return c.json({ status: "pending", ...(suggestion ? { suggestion } : {}) }, 202);
    const location = suggestion ? `/subscribe?suggestion=${encodeURIComponent(suggestion)}` : "/subscribe";
    return seeOtherOrShow(c, location, () => <CheckInboxPage suggestion={suggestion} turnstile={turnstileWidget(c)} />);
  };

  // A bot that filled the trap field is told what a person would be, and nothing happens.
  if ((await screenMailRequest(c, body.fields, "sign-ups")) === "bot") return answerAccepted(null);

  const choices = signupChoices(parseBodyFields(PreferenceFields, body.fields, body.kind), connectionZone(c.req.raw));
  const outcome = await requestSubscription(services, body.fields.email, choices);
  if (outcome.kind === "invalid_email" || outcome.kind === "blocked_domain") {
    const reason =
      outcome.kind === "invalid_email" ? outcome.reason : `We can't send paperboy to addresses at ${outcome.domain}. Please use another address.`;
    if (api) throw new AppError(422, outcome.kind, reason);
    const typed = typeof body.fields.email === "string" ? body.fields.email.slice(0, 254) : "";
    return c.html(<HomePage email={typed} error={reason} turnstile={turnstileWidget(c)} />, 422);
  }
  return answerAccepted(outcome.suggestion);
});

/** The visitor's time zone as Cloudflare knows it from their connection, if it does. */
function connectionZone(request: Request): string | null {
  const zone = (request.cf as IncomingRequestCfProperties | undefined)?.timezone;
  return typeof zone === "string" ? zone : null;
}

// Where a browser lands after signing up (Post/Redirect/Get): the same page for every address.
subscriptionRoutes.get("/subscribe", (c) => {
  const suggested = parseEmailAddress(c.req.query("suggestion") ?? "");
  return c.html(<CheckInboxPage suggestion={suggested.ok ? suggested.value.address : null} turnstile={turnstileWidget(c)} />);
});

subscriptionRoutes.get("/confirm", showsState, async (c) => {
  const token = c.req.query("token");
  const link = await resolveLink(c.var.services, token, "confirm");
  if (!link.ok) throw invalidLink("confirm", link.problem);
  const { email, status } = link.subscriber;
  return c.html(<LinkPage page="confirm" email={email} status={status} token={token!} done={justDone(c)} />);
});

subscriptionRoutes.post("/confirm", publicBody, sameOriginForm, showsState, async (c) => {
  const body = await readBody(c, ["form"]);
  const token = body.fields.token ?? c.req.query("token");
  const outcome = await confirmSubscription(c.var.services, token);
  if (outcome.kind !== "done") throw invalidLink("confirm", outcome.problem);
  const { email, status } = outcome.subscriber;
  const page = () => <LinkPage page="confirm" email={email} status={status} token={String(token)} done="confirmed" />;
  return seeOtherOrShow(c, `/confirm?token=${encodeURIComponent(String(token))}&done=confirmed`, page);
});

allowOnly(subscriptionRoutes, "/", ["GET"]);
allowOnly(subscriptionRoutes, "/subscribe", ["GET", "POST"]);
allowOnly(subscriptionRoutes, "/confirm", ["GET", "POST"]);
