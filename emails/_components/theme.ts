/**
 * Colours and type shared by every email; inline styles keep the Worker bundle small.
 *
 * Dark mode: the emails declare `color-scheme: light dark` and give every text element an explicit
 * colour on an explicit background, so nothing depends on a client's default text or canvas
 * colour. Clients that force dark mode (Gmail apps, Outlook) invert the pair together; Apple
 * Mail keeps it as written. A `prefers-color-scheme` style block is deliberately absent: Gmail,
 * Outlook for Windows and Yahoo drop it, and caniemail counts it as an error there.
 */
export const theme = {
  // Segoe UI first: Outlook for Windows falls back to Times New Roman when the first font is missing.
  fontFamily: '"Segoe UI", -apple-system, BlinkMacSystemFont, Roboto, Helvetica, Arial, sans-serif',
  text: "#1f2328",
  muted: "#57606a",
  accent: "#0b57d0",
  onAccent: "#ffffff",
  border: "#d0d7de",
  background: "#f6f8fa",
  surface: "#ffffff",
} as const;

/** Attributes every layout table carries, so clients add no spacing or borders of their own. */
export const layoutTable = {
  role: "presentation",
  width: "100%",
  cellPadding: 0,
  cellSpacing: 0,
  border: 0,
} as const;

/** Type styles the one-message emails share. */
export const typography = {
  heading: { color: theme.text, fontFamily: theme.fontFamily, fontSize: "22px", lineHeight: "28px", margin: "16px 0" },
  body: { color: theme.text, fontSize: "16px", lineHeight: "24px", margin: "16px 0" },
  small: { color: theme.muted, fontSize: "14px", lineHeight: "20px", margin: "16px 0" },
} as const;
