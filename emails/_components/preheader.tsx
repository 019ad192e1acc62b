import type { CSSProperties } from "react";
import { theme } from "./theme";

/** Inbox previews show about this many characters; filler keeps body text out of the rest. */
const PREVIEW_LENGTH = 150;
const FILLER = "\u00a0\u200c\u200b\u200d\u200e\u200f\ufeff";

/**
 * The preview text inbox lists show after the subject, hidden in the message itself.
 * Hidden with a zero font size and the background colour only (plus `mso-hide` for Outlook
 * on Windows): `display:none`, `opacity`, `max-height` and `overflow` each fail in a client
 * that caniemail lists. `data-skip-in-text` keeps it out of derived plain-text parts.
 */
export function Preheader({ text }: { text: string }) {
  const room = Math.max(0, PREVIEW_LENGTH - text.length);
  return (
    <div
      style={{ color: theme.background, fontSize: "0px", lineHeight: "0px", msoHide: "all" } as CSSProperties}
      data-skip-in-text="true"
    >
      {text}
      {room > 0 && <div>{FILLER.repeat(Math.ceil(room / FILLER.length)).slice(0, room)}</div>}
    </div>
  );
}
