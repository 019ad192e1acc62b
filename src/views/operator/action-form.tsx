/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/**
 * Every dashboard action is a same-origin POST that the operator confirms on the page: the button
 * works only with its box ticked (the browser asks for it, and the server refuses a post without it).
 */
export function ActionForm({ action, label, confirm, inline, multipart, children }: { action: string; label: string; confirm: string; inline?: boolean; multipart?: boolean; children?: Child }) {
  return (
    <form method="post" action={action} class={inline ? "inline" : undefined} enctype={multipart ? "multipart/form-data" : undefined}>
      {children}
      <label class="confirm">
        <input type="checkbox" name="confirm" value="yes" required />
        {confirm}
      </label>
      <button type="submit">{label}</button>
    </form>
  );
}
