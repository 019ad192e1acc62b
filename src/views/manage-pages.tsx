/** @jsxImportSource hono/jsx */
import { ScreeningFields, type TurnstileWidget } from "./form-parts";
import { Layout } from "./layout";

interface ManageFormProps {
  turnstile: TurnstileWidget;
  email?: string;
  error?: string | undefined;
}

/**
 * "Manage by email": a way out of every dead end (a broken, expired or old link). The answer is
 * the same for every address, so the form tells nobody who subscribes.
 */
export function ManageByEmailForm({ turnstile, email = "", error }: ManageFormProps) {
  return (
    <form method="post" action="/manage" class="card">
      <label for="manage-email">Manage your subscription by email</label>
      <p id="manage-hint" class="hint">
        Enter your address and we'll email you a link to your subscription's page.
      </p>
      <input
        id="manage-email"
        name="email"
        type="email"
        autocomplete="email"
        inputmode="email"
        required
        maxlength={254}
        value={email}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? "manage-error" : "manage-hint"}
      />
      {error && (
        <p id="manage-error" class="error" role="alert">
          {error}
        </p>
      )}
      <ScreeningFields turnstile={turnstile} />
      <button type="submit">Email me a link</button>
    </form>
  );
}

export function ManagePage(props: ManageFormProps) {
  return (
    <Layout title="Manage your subscription">
      <h1>Manage your subscription</h1>
      <p>Unsubscribe, come back or delete your data from your subscription's page: we email you the link.</p>
      <ManageByEmailForm {...props} />
    </Layout>
  );
}

/** After "manage by email", the same page for every address. */
export function ManageLinkSentPage() {
  return (
    <Layout title="Check your inbox">
      <h1>Check your inbox</h1>
      <p>
        If this address is on paperboy's list, an email with a link to manage its subscription is on its way. The link
        opens your subscription's page.
      </p>
      <p class="hint">
        Nothing arrived? Look in your spam folder; an address gets at most one such email every 10 minutes. Not
        subscribed? <a href="/">Sign up on the home page</a>.
      </p>
    </Layout>
  );
}
