import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { ButtonLink } from "./_components/links";
import { typography } from "./_components/theme";

export interface ManageLinkProps {
  email: string;
  /** The subscription's own page. */
  manageUrl: string;
  unsubscribeUrl: string;
  postalAddress: string;
}

const copy = {
  subject: "Your link to manage paperboy",
  heading: "Manage your subscription",
  body: "Someone, hopefully you, asked for a link to manage paperboy's daily digest for",
  button: "Manage my subscription",
  note: "The page shows where your subscription stands and lets you leave, come back or delete your data. If you didn't ask for this, ignore this email: nothing changes.",
  reason: "You received this email because this address was entered on paperboy's \"manage by email\" form.",
} as const;

export const manageLinkSubject = copy.subject;

export function ManageLink({ email, manageUrl, unsubscribeUrl, postalAddress }: ManageLinkProps) {
  return (
    <EmailLayout
      preview="One click to see and change your paperboy subscription."
      footer={<Footer reason={copy.reason} postalAddress={postalAddress} unsubscribeUrl={unsubscribeUrl} />}
    >
      <h1 style={typography.heading}>{copy.heading}</h1>
      <p style={typography.body}>
        {copy.body} <strong>{email}</strong>.
      </p>
      <ButtonLink href={manageUrl}>{copy.button}</ButtonLink>
      <p style={typography.small}>{copy.note}</p>
    </EmailLayout>
  );
}

ManageLink.PreviewProps = {
  email: "reader@example.com",
  manageUrl: "http://localhost:8787/preferences?token=preview",
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies ManageLinkProps;

export default ManageLink;
