/** Colours and type shared by every email; inline styles keep the Worker bundle small. */
export const theme = {
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"',
  text: "#1f2328",
  muted: "#57606a",
  accent: "#0b57d0",
  border: "#d0d7de",
  background: "#f6f8fa",
  surface: "#ffffff",
} as const;
