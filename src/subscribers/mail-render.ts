/**
 * The lifecycle's emails as they are sent: rendered once per isolate and configuration, and
 * filled in with the subscriber's own address and links. The outbox calls this when it forms a
 * batch, so no request renders anything.
 */
import { createElement, type ReactElement } from "react";
import { AlreadySubscribed, alreadySubscribedSubject } from "../../emails/already-subscribed";
import { ConfirmSubscription, confirmSubscriptionSubject } from "../../emails/confirm-subscription";
import { ManageLink, manageLinkSubject } from "../../emails/manage-link";
import { Welcome, welcomeSubject } from "../../emails/welcome";
import type { Config } from "../config";
import type { OutgoingEmail } from "../delivery/mailer";
import { PLACEHOLDERS, personalize, renderEmailOnce } from "../presentation/render-email";
import { confirmUrl, listHeaders, preferencesUrl, unsubscribeUrl } from "./links";

/** Every kind of mail the outbox sends (mail_outbox.kind). */
export type MailKind = "confirm" | "confirm_import" | "welcome" | "already_subscribed" | "manage_link";

interface Addressee {
  id: number;
  email: string;
  tokenVersion: number;
}

/** `askedAt` is when the mail was asked for: a confirmation link is good for 7 days from then. */
export function renderMail(config: Config, kind: MailKind, subscriber: Addressee, askedAt: number): Promise<OutgoingEmail> {
  switch (kind) {
    case "confirm":
    case "confirm_import":
      return confirmationEmail(config, subscriber, askedAt, kind === "confirm" ? "sign_up" : "import");
    case "welcome":
      return welcomeEmail(config, subscriber);
    case "already_subscribed":
      return manageEmail(config, subscriber, alreadySubscribedSubject, AlreadySubscribed);
    case "manage_link":
      return manageEmail(config, subscriber, manageLinkSubject, ManageLink);
  }
}

async function confirmationEmail(config: Config, subscriber: Addressee, askedAt: number, origin: "sign_up" | "import"): Promise<OutgoingEmail> {
  const rendered = await renderEmailOnce(`confirm|${origin}|${config.senderPostalAddress}`, confirmSubscriptionSubject, () =>
    createElement(ConfirmSubscription, { email: PLACEHOLDERS.address, confirmUrl: PLACEHOLDERS.actionUrl, postalAddress: config.senderPostalAddress, origin }),
  );
  const actionUrl = await confirmUrl(config, subscriber, askedAt);
  return { from: config.mailFrom, to: subscriber.email, ...personalize(rendered, { address: subscriber.email, actionUrl }) };
}

async function welcomeEmail(config: Config, subscriber: Addressee): Promise<OutgoingEmail> {
  const rendered = await renderEmailOnce(`welcome|${config.publicBaseUrl}|${config.senderPostalAddress}`, welcomeSubject, () =>
    createElement(Welcome, {
      siteUrl: config.publicBaseUrl,
      unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
      preferencesUrl: PLACEHOLDERS.preferencesUrl,
      postalAddress: config.senderPostalAddress,
    }),
  );
  const [url, preferences] = await Promise.all([unsubscribeUrl(config, subscriber), preferencesUrl(config, subscriber)]);
  return { from: config.mailFrom, to: subscriber.email, ...personalize(rendered, { unsubscribeUrl: url, preferencesUrl: preferences }), headers: listHeaders(config, url) };
}

type ManageTemplate = (props: { email: string; manageUrl: string; unsubscribeUrl: string; postalAddress: string }) => ReactElement;

/** A mail whose button leads to the subscription's page ("you're already subscribed", the manage link). */
async function manageEmail(config: Config, subscriber: Addressee, subject: string, template: ManageTemplate): Promise<OutgoingEmail> {
  const rendered = await renderEmailOnce(`${subject}|${config.senderPostalAddress}`, subject, () =>
    createElement(template, {
      email: PLACEHOLDERS.address,
      manageUrl: PLACEHOLDERS.actionUrl,
      unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
      postalAddress: config.senderPostalAddress,
    }),
  );
  const [manageUrl, leaveUrl] = await Promise.all([preferencesUrl(config, subscriber), unsubscribeUrl(config, subscriber)]);
  return {
    from: config.mailFrom,
    to: subscriber.email,
    ...personalize(rendered, { address: subscriber.email, actionUrl: manageUrl, unsubscribeUrl: leaveUrl }),
    headers: listHeaders(config, leaveUrl),
  };
}
