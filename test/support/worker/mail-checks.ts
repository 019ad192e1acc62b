/** What every mail with a link to the subscription must carry. */
import { expect } from "vitest";
import type { Send } from "./mock";
import { linkIn } from "./requests";

/** A mail with a link to the subscription: its page, the unsubscribe link, and the list headers of every such mail. */
export function expectManageMail(mail: Send, email: string): void {
  const unsubscribe = linkIn(mail.body.text, "/unsubscribe");
  expect(mail.body.to).toEqual([email]);
  expect(mail.body.html).toContain(`href="${linkIn(mail.body.html, "/preferences")}"`);
  expect(mail.body.text).toContain(email);
  expect(mail.body.html).not.toContain("paperboy.invalid");
  expect(mail.body.headers).toEqual({
    "List-Id": "paperboy daily <daily.paperboy.test>",
    "List-Unsubscribe": `<${unsubscribe}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  });
}

