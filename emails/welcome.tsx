import { EmailLayout } from "./_components/email-layout";
import { Footer } from "./_components/footer";
import { TextLink } from "./_components/links";
import { typography } from "./_components/theme";

export interface WelcomeProps {
  siteUrl: string;
  unsubscribeUrl: string;
  /** The reader's preference centre: cadence, topics, size, time. */
  preferencesUrl: string;
  postalAddress: string;
}

const copy = {
  subject: "Welcome to paperboy",
  heading: "You're subscribed",
  body: "You'll get the most upvoted AI research papers from Hugging Face's Daily Papers, at 07:00 where you are: titles, authors, a one-line summary and links to the paper and its code.",
  // The link sits mid-sentence: at the end, the text part would put a full stop right after its URL.
  choose: "lets you choose daily or weekly, fewer papers, only your topics, another hour or time zone.",
  reason: "You receive this email because you confirmed your subscription to paperboy.",
};

export const welcomeSubject = copy.subject;

export function Welcome({ siteUrl, unsubscribeUrl, preferencesUrl, postalAddress }: WelcomeProps) {
  return (
    <EmailLayout
      preview="Your first digest arrives with the next day's papers, at your morning."
      footer={<Footer reason={copy.reason} postalAddress={postalAddress} unsubscribeUrl={unsubscribeUrl} preferencesUrl={preferencesUrl} />}
    >
      <h1 style={typography.heading}>{copy.heading}</h1>
      <p style={typography.body}>{copy.body}</p>
      <p style={typography.body}>
        Your <TextLink href={preferencesUrl}>preference centre</TextLink> {copy.choose}
      </p>
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
  preferencesUrl: "http://localhost:8787/preferences?token=preview",
  postalAddress: "paperboy, 1 Example Street, 00000 Example City",
} satisfies WelcomeProps;

export default Welcome;
