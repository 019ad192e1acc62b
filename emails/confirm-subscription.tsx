import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { ButtonLink } from "./_components/links";
import { typography } from "./_components/theme";

export interface ConfirmSubscriptionProps {
  /** The only thing the visitor typed that we echo back. */
  email: string;
  confirmUrl: string;
  postalAddress: string;
  /** How the address reached paperboy: typed into the sign-up form, or imported by the operator from another newsletter tool. */
  origin?: "sign_up" | "import";
}

const copy = {
  subject: "Confirm your paperboy subscription",
  heading: "One click to confirm",
  button: "Confirm my subscription",
  expiry: "The link works for 7 days. If you didn't ask for this, ignore this email and you won't hear from us again.",
  sign_up: {
    body: "Someone, hopefully you, asked to receive paperboy's daily digest of trending AI research papers at",
    reason: "You received this email because this address was entered on paperboy's sign-up form.",
  },
  import: {
    body: "paperboy's operator moved their reader list from another newsletter tool to paperboy, a daily digest of trending AI research papers, and it holds",
    reason: "You received this email because paperboy's operator imported this address. Nothing more is sent unless you confirm.",
  },
} as const;

export const confirmSubscriptionSubject = copy.subject;

export function ConfirmSubscription({ email, confirmUrl, postalAddress, origin = "sign_up" }: ConfirmSubscriptionProps) {
  return (
    <EmailLayout
      preview="Confirm your address to start receiving the daily digest."
      footer={<Footer reason={copy[origin].reason} postalAddress={postalAddress} />}
    >
      <h1 style={typography.heading}>{copy.heading}</h1>
      <p style={typography.body}>
        {copy[origin].body} <strong>{email}</strong>.
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
  origin: "sign_up",
} satisfies ConfirmSubscriptionProps;

export default ConfirmSubscription;
