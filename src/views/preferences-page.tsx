/** @jsxImportSource hono/jsx */
import type { SubscriberStatus } from "../subscribers/lifecycle";
import { Layout } from "./layout";
import { type JustDone, SubscriptionState, stateView } from "./subscription-state";

export interface PreferencesPageProps {
  email: string;
  status: SubscriberStatus;
  /** The preferences token of the link that opened the page: every form on it acts through it. */
  token: string;
  done: JustDone | null;
}

/**
 * The subscription's own page, opened by the link in "you're already subscribed" and "manage by
 * email" mails: where it stands, with the actions that fit. The reader's choices go below as
 * sections of their own, each a same-origin POST form answered with a redirect back here.
 */
export function PreferencesPage({ email, status, token, done }: PreferencesPageProps) {
  return (
    <Layout title={stateView("preferences", status, done).heading}>
      <SubscriptionState page="preferences" email={email} status={status} token={token} done={done} />
    </Layout>
  );
}
