import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { theme } from "./_components/theme";

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
      <Heading as="h1" style={{ color: theme.text, fontSize: "22px", margin: "16px 0" }}>
        {copy.heading}
      </Heading>
      <Text style={{ color: theme.text, fontSize: "16px", lineHeight: "24px" }}>{copy.body}</Text>
      <Text style={{ color: theme.text, fontSize: "16px", lineHeight: "24px" }}>
        Your first digest arrives with the next day's papers. Until then, the{" "}
        <Link href={siteUrl} style={{ color: theme.accent }}>
          paperboy website
        </Link>{" "}
        has more about what to expect.
      </Text>
    </EmailLayout>
  );
}

Welcome.PreviewProps = {
  siteUrl: "http://localhost:8787",
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies WelcomeProps;

export default Welcome;
