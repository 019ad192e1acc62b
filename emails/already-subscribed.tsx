import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { ButtonLink } from "./_components/links";
import { typography } from "./_components/theme";

export interface AlreadySubscribedProps {
  email: string;
  /** The subscription's own page: see it, leave, or delete the data. */
  manageUrl: string;
  unsubscribeUrl: string;
  postalAddress: string;
}

const copy = {
  subject: "You're already subscribed to paperboy",
  heading: "You're already subscribed",
  body: "Someone, hopefully you, just asked to subscribe this address to paperboy's daily digest. It already receives the digest every morning, so nothing has changed for",
  button: "Manage my subscription",
  manage: "Your subscription's page shows where it stands and lets you leave or delete your data. If you didn't ask for this, ignore this email.",
  reason: "You received this email because this address was entered on paperboy's sign-up form.",
} as const;

export const alreadySubscribedSubject = copy.subject;

export function AlreadySubscribed({ email, manageUrl, unsubscribeUrl, postalAddress }: AlreadySubscribedProps) {
  return (
    <EmailLayout
      preview="Nothing has changed: the digest keeps arriving every morning."
      footer={<Footer reason={copy.reason} postalAddress={postalAddress} unsubscribeUrl={unsubscribeUrl} />}
    >
      <h1 style={typography.heading}>{copy.heading}</h1>
      <p style={typography.body}>
        {copy.body} <strong>{email}</strong>.
      </p>
      <ButtonLink href={manageUrl}>{copy.button}</ButtonLink>
      <p style={typography.small}>{copy.manage}</p>
    </EmailLayout>
  );
}

AlreadySubscribed.PreviewProps = {
  email: "reader@example.com",
  manageUrl: "http://localhost:8787/preferences?token=preview",
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies AlreadySubscribedProps;

export default AlreadySubscribed;
