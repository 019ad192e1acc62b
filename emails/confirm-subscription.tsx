import { Button, Heading, Link, Text } from "@react-email/components";
import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { theme } from "./_components/theme";

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
      <Heading as="h1" style={{ color: theme.text, fontSize: "22px", margin: "16px 0" }}>
        {copy.heading}
      </Heading>
      <Text style={{ color: theme.text, fontSize: "16px", lineHeight: "24px" }}>
        {copy.body} <strong>{email}</strong>.
      </Text>
      <Button
        href={confirmUrl}
        style={{
          backgroundColor: theme.accent,
          borderRadius: "6px",
          color: "#ffffff",
          fontSize: "16px",
          fontWeight: 600,
          padding: "12px 20px",
        }}
      >
        {copy.button}
      </Button>
      <Text style={{ color: theme.muted, fontSize: "14px", lineHeight: "20px" }}>
        Or open this link: <Link href={confirmUrl} style={{ color: theme.accent }}>{confirmUrl}</Link>
      </Text>
      <Text style={{ color: theme.muted, fontSize: "14px", lineHeight: "20px" }}>{copy.expiry}</Text>
    </EmailLayout>
  );
}

ConfirmSubscription.PreviewProps = {
  email: "reader@example.com",
  confirmUrl: "http://localhost:8787/confirm?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies ConfirmSubscriptionProps;

export default ConfirmSubscription;
