/** @jsxImportSource hono/jsx */
import { HONEYPOT_FIELD } from "../abuse/screen-signup";

/** Set when Turnstile is on: the widget and its script (allowed by the CSP through `nonce`). */
export type TurnstileWidget = { siteKey: string; nonce: string } | undefined;

/**
 * What every form that mails someone carries, so it is screened like the sign-up form: a trap for
 * bots (hidden from people and from assistive technology) and, when it is on, Turnstile's widget.
 */
export function ScreeningFields({ turnstile }: { turnstile: TurnstileWidget }) {
  return (
    <>
      <div class="trap" aria-hidden="true">
        <label for={HONEYPOT_FIELD}>Leave this field empty</label>
        <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabindex={-1} autocomplete="off" />
      </div>
      {turnstile && (
        <>
          <div class="cf-turnstile" data-sitekey={turnstile.siteKey}></div>
          <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer nonce={turnstile.nonce}></script>
        </>
      )}
    </>
  );
}
