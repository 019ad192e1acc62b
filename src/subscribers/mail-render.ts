/**
 * The lifecycle's two emails as they are sent: rendered once per isolate and configuration, and
 * filled in with the subscriber's own address and link. The outbox calls this when it forms a
 * batch, so no request renders anything.
 */
import { createElement } from "react";
import { ConfirmSubscription, confirmSubscriptionSubject } from "../../emails/confirm-subscription";
import { Welcome, welcomeSubject } from "../../emails/welcome";
import type { Config } from "../config";
import type { OutgoingEmail } from "../delivery/mailer";
import { PLACEHOLDERS, personalize, renderEmailOnce } from "../presentation/render-email";
import { confirmUrl, listHeaders, unsubscribeUrl } from "./links";

export type MailKind = "confirm" | "welcome";

interface Addressee {
  id: number;
  email: string;
  tokenVersion: number;
}

/** `askedAt` is when the mail was asked for: a confirmation link is good for 7 days from then. */
export function renderMail(config: Config, kind: MailKind, subscriber: Addressee, askedAt: number): Promise<OutgoingEmail> {
  return kind === "confirm" ? confirmationEmail(config, subscriber, askedAt) : welcomeEmail(config, subscriber);
}

async function confirmationEmail(config: Config, subscriber: Addressee, askedAt: number): Promise<OutgoingEmail> {
  const rendered = await renderEmailOnce(`confirm|${config.senderPostalAddress}`, confirmSubscriptionSubject, () =>
    createElement(ConfirmSubscription, { email: PLACEHOLDERS.address, confirmUrl: PLACEHOLDERS.actionUrl, postalAddress: config.senderPostalAddress }),
  );
  const actionUrl = await confirmUrl(config, subscriber, askedAt);
  return { from: config.mailFrom, to: subscriber.email, ...personalize(rendered, { address: subscriber.email, actionUrl }) };
}

async function welcomeEmail(config: Config, subscriber: Addressee): Promise<OutgoingEmail> {
  const rendered = await renderEmailOnce(`welcome|${config.publicBaseUrl}|${config.senderPostalAddress}`, welcomeSubject, () =>
    createElement(Welcome, { siteUrl: config.publicBaseUrl, unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl, postalAddress: config.senderPostalAddress }),
  );
  const url = await unsubscribeUrl(config, subscriber);
  return { from: config.mailFrom, to: subscriber.email, ...personalize(rendered, { unsubscribeUrl: url }), headers: listHeaders(config, url) };
}
