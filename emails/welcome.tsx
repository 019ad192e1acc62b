import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { TextLink } from "./_components/links";
import { typography } from "./_components/theme";

export interface WelcomeProps {
  siteUrl: string;
  unsubscribeUrl: string;
  postalAddress: string;
}

const copy = {
  subject: "Welcome to paperboy",
  heading: "You're subscribed",
  body: "Every morning you'll get the day's most upvoted AI research papers from Hugging Face's Daily Papers: titles, authors, a one-line summary and links to the paper and its code.",
  reason: "You receive this email because you confirmed your subscription to paperboy.",
};

export const welcomeSubject = copy.subject;

export function Welcome({ siteUrl, unsubscribeUrl, postalAddress }: WelcomeProps) {
  return (
    <EmailLayout
      preview="Your first digest arrives tomorrow morning."
      footer={<Footer reason={copy.reason} postalAddress={postalAddress} unsubscribeUrl={unsubscribeUrl} />}
    >
      <h1 style={typography.heading}>{copy.heading}</h1>
      <p style={typography.body}>{copy.body}</p>
      <p style={typography.body}>
        Your first digest arrives with the next day's papers. Until then, the{" "}
        <TextLink href={siteUrl}>paperboy website</TextLink> shows the latest one.
      </p>
    </EmailLayout>
  );
}

Welcome.PreviewProps = {
  siteUrl: "http://localhost:8787",
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies WelcomeProps;

export default Welcome;
