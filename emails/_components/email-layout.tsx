import { Body, Container, Head, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { theme } from "./theme";

interface EmailLayoutProps {
  preview: string;
  children: ReactNode;
  footer: ReactNode;
}

export function EmailLayout({ preview, children, footer }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: theme.background, fontFamily: theme.fontFamily, margin: 0, padding: "24px 0" }}>
        <Container
          style={{
            backgroundColor: theme.surface,
            border: `1px solid ${theme.border}`,
            borderRadius: "8px",
            maxWidth: "600px",
            padding: "24px",
          }}
        >
          <Text style={{ color: theme.muted, fontSize: "14px", fontWeight: 600, letterSpacing: "0.04em", margin: 0 }}>
            PAPERBOY
          </Text>
          <Section>{children}</Section>
          {footer}
        </Container>
      </Body>
    </Html>
  );
}
