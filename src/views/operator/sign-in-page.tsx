/** @jsxImportSource hono/jsx */
import { OperatorLayout } from "./layout";

/** The dashboard's door: the admin token, typed once; a session cookie keeps the browser signed in. */
export function SignInPage({ problem }: { problem?: string }) {
  return (
    <OperatorLayout title="Sign in" signedIn={false}>
      <h1>Operator sign-in</h1>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <form method="post" action="/admin/sign-in">
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <p class="hint muted">The value of ADMIN_TOKEN. You stay signed in for 12 hours on this browser, or until you sign out.</p>
        <button type="submit">Sign in</button>
      </form>
    </OperatorLayout>
  );
}
