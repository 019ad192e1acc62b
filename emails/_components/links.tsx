import type { CSSProperties, ReactNode } from "react";
import { layoutTable, theme } from "./theme";

/**
 * A plain link. No `target` attribute: webmail forces its own, and caniemail reports the
 * attribute as unsupported in Gmail, Outlook.com and Yahoo.
 */
export function TextLink({ href, children, style }: { href: string; children: ReactNode; style?: CSSProperties }) {
  return (
    <a href={href} style={{ color: theme.accent, textDecoration: "underline", ...style }}>
      {children}
    </a>
  );
}

/**
 * A call-to-action button as a one-cell table: padding and background on the cell work in
 * every client, Outlook for Windows included (it ignores padding on links). Square corners,
 * because Outlook for Windows has no `border-radius`.
 */
export function ButtonLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <table {...layoutTable} width={undefined} style={{ margin: "8px 0 16px" }}>
      <tbody>
        <tr>
          <td style={{ backgroundColor: theme.accent, padding: "12px 20px" }}>
            <a href={href} style={{ color: theme.onAccent, fontSize: "16px", fontWeight: 600, textDecoration: "none" }}>
              {children}
            </a>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
