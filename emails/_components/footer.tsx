import { Hr, Link, Text } from "@react-email/components";
import { theme } from "./theme";

interface FooterProps {
  /** Why this person receives the mail. */
  reason: string;
  postalAddress: string;
  unsubscribeUrl?: string;
}

const small = { color: theme.muted, fontSize: "12px", lineHeight: "18px", margin: "4px 0" } as const;

export function Footer({ reason, postalAddress, unsubscribeUrl }: FooterProps) {
  return (
    <>
      <Hr style={{ borderColor: theme.border, margin: "24px 0 12px" }} />
      <Text style={small}>{reason}</Text>
      {unsubscribeUrl && (
        <Text style={small}>
          Don't want these emails?{" "}
          <Link href={unsubscribeUrl} style={{ color: theme.accent, textDecoration: "underline" }}>
            Unsubscribe from paperboy
          </Link>{" "}
          in one click.
        </Text>
      )}
      <Text style={small}>{postalAddress}</Text>
    </>
  );
}
