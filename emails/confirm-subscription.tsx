import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { ButtonLink } from "./_components/links";
import { typography } from "./_components/theme";

export interface ConfirmSubscriptionProps {
  /** The only thing the visitor typed that we echo back. */
  email: string;
  confirmUrl: string;
  postalAddress: string;
}

const copy = {
  subject: "Confirm your paperboy subscription",
  heading: "One click to confirm",
  body: "Someone, hopefully you, asked to receive paperboy's daily digest of trending AI research papers at",
  button: "Confirm my subscription",
  expiry: "The link works for 7 days. If you didn't ask for this, ignore this email and you won't hear from us again.",
  reason: "You received this email because this address was entered on paperboy's sign-up form.",
};

export const confirmSubscriptionSubject = copy.subject;

export function ConfirmSubscription({ email, confirmUrl, postalAddress }: ConfirmSubscriptionProps) {
  return (
    <EmailLayout
      preview="Confirm your address to start receiving the daily digest."
      footer={<Footer reason={copy.reason} postalAddress={postalAddress} />}
    >
      <h1 style={typography.heading}>{copy.heading}</h1>
      <p style={typography.body}>
        {copy.body} <strong>{email}</strong>.
      </p>
      <ButtonLink href={confirmUrl}>{copy.button}</ButtonLink>
      <p style={typography.small}>{copy.expiry}</p>
    </EmailLayout>
  );
}

ConfirmSubscription.PreviewProps = {
  email: "reader@example.com",
  confirmUrl: "http://localhost:8787/confirm?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies ConfirmSubscriptionProps;

export default ConfirmSubscription;
