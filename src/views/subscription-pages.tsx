/** @jsxImportSource hono/jsx */
import { maskAddress } from "../presentation/mask";
import type { SubscriberStatus } from "../subscribers/lifecycle";
import { ScreeningFields, type TurnstileWidget } from "./form-parts";
import { Layout } from "./layout";
import { ManageByEmailForm } from "./manage-pages";
import { type JustDone, type LinkPageKind, SubscriptionState, stateView } from "./subscription-state";

/**
 * After a sign-up, the same page for every address. `suggestion`: the address with a likely typo
 * in its domain corrected, offered as a one-click sign-up of its own.
 */
export function CheckInboxPage({ suggestion, turnstile }: { suggestion?: string | null; turnstile?: TurnstileWidget }) {
  return (
    <Layout title="Check your inbox">
      <h1>Check your inbox</h1>
      <p>
        If this address can receive paperboy, an email is on its way: a link to confirm your subscription, or, if
        you're subscribed already, a link to manage it. Click the link inside within 7 days.
      </p>
      {suggestion && (
        <form method="post" action="/subscribe" class="card">
          <p role="status">
            Did you mean <strong>{suggestion}</strong>?
          </p>
          <input type="hidden" name="email" value={suggestion} />
          <ScreeningFields turnstile={turnstile} />
          <button type="submit">Subscribe {suggestion} instead</button>
        </form>
      )}
      <p class="hint">Nothing arrived? Look in your spam folder, or sign up again in 10 minutes to get a new link.</p>
    </Layout>
  );
}

interface LinkPageProps {
  page: LinkPageKind;
  email: string;
  status: SubscriberStatus;
  token: string;
  done: JustDone | null;
  /** A daily reader's unsubscribe page also offers the weekly digest. */
  offerWeekly?: boolean;
}

/** The page a confirmation or unsubscribe link opens: the masked address, where it stands, and the buttons that fit. */
export function LinkPage(props: LinkPageProps) {
  return (
    <Layout title={stateView(props.page, props.status, props.done).heading}>
      <SubscriptionState {...props} />
    </Layout>
  );
}

/** "Delete my data", asked once: GET shows the question, only the button erases. */
export function DeleteDataPage({ email, token, back }: { email: string; token: string; back: string }) {
  return (
    <Layout title="Delete your data?">
      <h1>Delete your data?</h1>
      <p>
        This removes your address, <strong>{maskAddress(email)}</strong>, and its history from paperboy. Continue?
      </p>
      <form method="post" action={`/unsubscribe/delete?token=${encodeURIComponent(token)}`}>
        <button type="submit">Yes, delete my data</button>
      </form>
      <p>
        <a href={back}>No, keep it</a>
      </p>
    </Layout>
  );
}

/**
 * After erasure, what remains and what it means. `forGood`: the address had bounced or complained,
 * so its fingerprint keeps it from ever being mailed again.
 */
export function DataDeletedPage({ forGood }: { forGood: boolean }) {
  return (
    <Layout title="Your data is deleted">
      <h1>Your data is deleted</h1>
      <p>We removed your address, its subscription history and any email waiting to be sent to it.</p>
      <p>
        What remains is a one-way fingerprint of the address (a keyed hash, which cannot be turned back into it), so
        paperboy knows not to mail it.{" "}
        {forGood
          ? "Mail to this address had bounced or was reported as spam, so paperboy will never mail it again."
          : "Nobody can subscribe it without you: if you sign up again one day, we email you a confirmation link first, and confirming removes the fingerprint."}
      </p>
      <p>
        <a href="/">Go to the paperboy home page</a>
      </p>
    </Layout>
  );
}

/** Errors as a page. `manageByEmail`: the page is a dead end (a broken, expired or old link), so it offers a new link by email. */
export function MessagePage({ title, message, manageByEmail }: { title: string; message: string; manageByEmail?: { turnstile: TurnstileWidget } }) {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      {manageByEmail && <ManageByEmailForm turnstile={manageByEmail.turnstile} />}
      <p>
        <a href="/">Go to the paperboy home page</a>
      </p>
    </Layout>
  );
}
