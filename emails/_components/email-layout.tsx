import { Head, Html } from "@react-email/components";
import type { ReactNode } from "react";
import { Preheader } from "./preheader";
import { layoutTable, theme } from "./theme";

interface EmailLayoutProps {
  /** Inbox preview text, hidden in the message. */
  preview: string;
  children: ReactNode;
  footer: ReactNode;
}

/**
 * The frame every email shares: a full-width background table around a 600 px card that
 * shrinks with the screen (`width:100%` up to `max-width:600px`). Every colour is set on the
 * element that shows it, so the message reads the same whether or not a client keeps `<body>`.
 */
export function EmailLayout({ preview, children, footer }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
      </Head>
      <body style={{ backgroundColor: theme.background, margin: 0, padding: 0 }}>
        <Preheader text={preview} />
        <table {...layoutTable} style={{ backgroundColor: theme.background }}>
          <tbody>
            <tr>
              <td align="center" style={{ padding: "16px 8px" }}>
                <table
                  {...layoutTable}
                  style={{ backgroundColor: theme.surface, border: `1px solid ${theme.border}`, maxWidth: "600px" }}
                >
                  <tbody>
                    <tr>
                      <td style={{ color: theme.text, fontFamily: theme.fontFamily, padding: "20px", textAlign: "left" }}>
                        <p style={brand}>PAPERBOY</p>
                        {children}
                        {footer}
                      </td>
                    </tr>
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </Html>
  );
}

const brand = {
  color: theme.muted,
  fontSize: "14px",
  fontWeight: 600,
  letterSpacing: "0.04em",
  lineHeight: "20px",
  margin: 0,
} as const;
