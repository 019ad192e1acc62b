import type { CSSProperties } from "react";

/** Inbox previews show about this many characters; filler keeps body text out of the rest. */
const PREVIEW_LENGTH = 150;
const FILLER = "\u00a0\u200c\u200b\u200d\u200e\u200f\ufeff";

/**
 * The preview text inbox lists show after the subject, hidden in the message itself with
 * `display:none` and `max-height:0`, plus `mso-hide` for Outlook on Windows. `data-skip-in-text`
 * keeps it out of derived plain-text parts.
 *
 * Not hidden by a zero font size or in the background colour: spam filters score text hidden that
 * way (SpamAssassin's FONT_INVIS_MSGID and HTML_FONT_LOW_CONTRAST; spam-score.test.ts). No
 * `opacity`, `visibility` or `overflow`: each fails in a client caniemail lists. The one client
 * that ignores `display:none`, Gmail's mobile webmail, shows this line as the message's first
 * line, which is why it holds words, not a trick (email-compat.test.ts).
 */
export function Preheader({ text }: { text: string }) {
  const room = Math.max(0, PREVIEW_LENGTH - text.length);
  return (
    <div style={{ display: "none", maxHeight: 0, msoHide: "all" } as CSSProperties} data-skip-in-text="true">
      {text}
      {room > 0 && <div>{FILLER.repeat(Math.ceil(room / FILLER.length)).slice(0, room)}</div>}
    </div>
  );
}
