/** @jsxImportSource hono/jsx */
import { Layout } from "./layout";

export function CheckInboxPage() {
  return (
    <Layout title="Check your inbox">
      <h1>Check your inbox</h1>
      <p>
        If this address can receive paperboy, a confirmation email is on its way. Click the link inside within 7 days
        to start your subscription.
      </p>
      <p class="hint">Nothing arrived? Look in your spam folder, or sign up again in 10 minutes to get a new link.</p>
    </Layout>
  );
}

export function ConfirmPage({ token }: { token: string }) {
  return (
    <Layout title="Confirm your subscription">
      <h1>Confirm your subscription</h1>
      <p>One more click and the daily digest is yours.</p>
      <form method="post" action="/confirm">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm my subscription</button>
      </form>
    </Layout>
  );
}

export function ConfirmedPage({ email }: { email: string }) {
  return (
    <Layout title="You're subscribed">
      <h1>You're subscribed</h1>
      <p>
        The digest will arrive at <strong>{email}</strong> every morning. Every email has a one-click unsubscribe link
        at the bottom.
      </p>
    </Layout>
  );
}

export function UnsubscribePage({ token }: { token: string }) {
  return (
    <Layout title="Unsubscribe">
      <h1>Unsubscribe from paperboy?</h1>
      <p>You'll stop receiving the daily digest straight away.</p>
      <form method="post" action={`/unsubscribe?token=${encodeURIComponent(token)}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">Unsubscribe</button>
      </form>
      <DeleteDataForm token={token} />
    </Layout>
  );
}

/** Erasure, offered wherever someone leaves: it also unsubscribes. */
function DeleteDataForm({ token }: { token: string }) {
  return (
    <form method="post" action={`/unsubscribe/delete?token=${encodeURIComponent(token)}`}>
      <p class="hint">
        Want us to forget you entirely? We delete your address and everything about it, and keep only a one-way
        fingerprint so nobody can sign it up again.
      </p>
      <button type="submit" class="secondary">
        Delete my data
      </button>
    </form>
  );
}

export function DataDeletedPage() {
  return (
    <Layout title="Your data is deleted">
      <h1>Your data is deleted</h1>
      <p>
        We removed your address and everything we stored about it. You won't hear from paperboy again, and nobody can
        sign your address up.
      </p>
    </Layout>
  );
}

export function UnsubscribedPage({ email, token }: { email: string; token: string }) {
  return (
    <Layout title="You're unsubscribed">
      <h1>You're unsubscribed</h1>
      <p>
        <strong>{email}</strong> won't receive paperboy anymore. Sorry to see you go.
      </p>
      <form method="post" action={`/resubscribe?token=${encodeURIComponent(token)}`}>
        <p class="hint">Clicked by mistake?</p>
        <button type="submit" class="secondary">
          Resubscribe
        </button>
      </form>
      <DeleteDataForm token={token} />
    </Layout>
  );
}

export function ResubscribedPage({ email }: { email: string }) {
  return (
    <Layout title="Welcome back">
      <h1>Welcome back</h1>
      <p>
        <strong>{email}</strong> is subscribed again. The next digest is on its way tomorrow morning.
      </p>
    </Layout>
  );
}

export function MessagePage({ title, message }: { title: string; message: string }) {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Go to the paperboy home page</a>
      </p>
    </Layout>
  );
}
