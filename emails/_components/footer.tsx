import { TextLink } from "./links";
import { theme } from "./theme";

interface FooterProps {
  /** Why this person receives the mail. */
  reason: string;
  postalAddress: string;
  unsubscribeUrl?: string;
  /** The reader's preference centre: cadence, topics, size, time. */
  preferencesUrl?: string;
}

const small = { color: theme.muted, fontSize: "12px", lineHeight: "18px", margin: "4px 0" } as const;

export function Footer({ reason, postalAddress, unsubscribeUrl, preferencesUrl }: FooterProps) {
  return (
    <>
      <hr style={{ border: "none", borderTop: `1px solid ${theme.border}`, margin: "24px 0 12px" }} />
      <p style={small}>{reason}</p>
      {unsubscribeUrl && (
        <p style={small}>
          Don't want these emails? <TextLink href={unsubscribeUrl}>Unsubscribe from paperboy</TextLink> in one click.
        </p>
      )}
      {preferencesUrl && (
        <p style={small}>
          Weekly instead, fewer papers, your topics or another hour? <TextLink href={preferencesUrl}>Manage preferences</TextLink>
        </p>
      )}
      <p style={small}>{postalAddress}</p>
    </>
  );
}
