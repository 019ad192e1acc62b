/** @jsxImportSource hono/jsx */
import type { SubscriberStatus } from "../subscribers/lifecycle";
import { ChoicesForm, type ChoicesFormProps } from "./choices-form";
import { Layout } from "./layout";
import { type JustDone, SubscriptionState, stateView } from "./subscription-state";

export interface PreferencesPageProps {
  email: string;
  status: SubscriberStatus;
  /** The preferences token of the link that opened the page: every form on it acts through it. */
  token: string;
  done: JustDone | null;
  /** The reader's choices, for a subscription that can still receive mail (not suppressed). */
  choices: Omit<ChoicesFormProps, "token"> | null;
}

/**
 * The subscription's own page, the preference centre: where it stands, with the actions that fit,
 * and the reader's choices (how often, how many papers, which topics, when). Opened by the link
 * in every digest, the welcome mail, "you're already subscribed" and "manage by email" mails.
 * GET changes nothing; each form is a same-origin POST answered with a redirect back here.
 */
export function PreferencesPage({ email, status, token, done, choices }: PreferencesPageProps) {
  return (
    <Layout title={stateView("preferences", status, done).heading}>
      <SubscriptionState page="preferences" email={email} status={status} token={token} done={done}>
        {choices && <ChoicesForm {...choices} token={token} />}
      </SubscriptionState>
    </Layout>
  );
}
