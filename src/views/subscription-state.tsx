/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { maskAddress } from "../presentation/mask";
import type { SubscriberStatus } from "../subscribers/lifecycle";

/** Which link opened the page: the confirmation link, the unsubscribe link of a list mail, or the subscription's own page. */
export type LinkPageKind = "confirm" | "unsubscribe" | "preferences";
/** What the reader just did, carried by the redirect after a form (Post/Redirect/Get); it only changes the wording. */
export type JustDone = "confirmed" | "unsubscribed" | "resubscribed" | "saved" | "weekly";
type Action = "confirm" | "unsubscribe" | "resubscribe" | "delete";

export interface StateView {
  heading: string;
  /** What the page says about the address; `{address}` stands for the masked address, shown in bold. */
  text: string;
  actions: Action[];
}

const SUPPRESSED_TEXT: Record<"bounced" | "complained" | "undeliverable", string> = {
  bounced: "Mail to {address} bounced, so paperboy no longer sends to it.",
  undeliverable: "Our email service cannot deliver to {address}, so paperboy no longer sends to it.",
  complained: "{address} reported paperboy's mail as spam, so paperboy never sends to it again.",
};

/**
 * Where the reader stands, as a page shows it: the heading, what it says, and the buttons that fit
 * the subscription's status. A plain function of the link, the status and what was just done.
 */
export function stateView(page: LinkPageKind, status: SubscriberStatus, done: JustDone | null): StateView {
  if (status === "bounced" || status === "complained" || status === "undeliverable")
    return { heading: "We don't send to this address", text: SUPPRESSED_TEXT[status], actions: page === "confirm" ? [] : ["delete"] };
  if (page === "confirm") return confirmView(status, done);
  if (status === "unsubscribed")
    return {
      heading: "You're unsubscribed",
      text: done === "unsubscribed" ? "{address} won't receive paperboy any more. Sorry to see you go." : "{address} is already unsubscribed: paperboy sends it nothing.",
      actions: ["resubscribe", "delete"],
    };
  if (done === "weekly" && status === "active")
    return { heading: "You're on the weekly digest", text: "{address} now gets one email on Monday mornings instead of one every day.", actions: ["unsubscribe", "delete"] };
  if (done === "saved" && page === "preferences")
    return { heading: "Your choices are saved", text: "{address} gets the digest you chose below, from the next one on.", actions: status === "active" ? ["unsubscribe", "delete"] : ["resubscribe", "delete"] };
  if (status === "active" && done === "resubscribed")
    return { heading: "Welcome back", text: "{address} is subscribed again. The next digest is on its way tomorrow morning.", actions: ["unsubscribe", "delete"] };
  if (status === "active" && done === "confirmed")
    return { heading: "You're subscribed", text: "The digest will arrive at {address} every morning.", actions: ["unsubscribe", "delete"] };
  if (page === "unsubscribe")
    return { heading: "Unsubscribe from paperboy?", text: "{address} will stop receiving the daily digest straight away.", actions: ["unsubscribe", "delete"] };
  if (status === "pending")
    return { heading: "Confirm your subscription", text: "{address} signed up but has not confirmed yet: nothing is sent until you do.", actions: ["confirm", "delete"] };
  return { heading: "You're subscribed", text: "{address} receives the daily digest every morning.", actions: ["unsubscribe", "delete"] };
}

function confirmView(status: "pending" | "active" | "unsubscribed", done: JustDone | null): StateView {
  if (status === "pending")
    return { heading: "Confirm your subscription", text: "One more click and the daily digest comes to {address} every morning.", actions: ["confirm"] };
  if (status === "active")
    return {
      heading: "You're subscribed",
      text:
        done === "confirmed"
          ? "The digest will arrive at {address} every morning. Every email has a one-click unsubscribe link at the bottom."
          : "{address} is already confirmed: the digest arrives every morning, and there is nothing more to do.",
      actions: [],
    };
  return {
    heading: "You're unsubscribed",
    text: "{address} unsubscribed after this link was sent, so it confirms nothing now. To get the digest again, sign up on the home page.",
    actions: [],
  };
}

interface SubscriptionStateProps {
  page: LinkPageKind;
  email: string;
  status: SubscriberStatus;
  /** The token of the link that opened the page: every button acts through it. */
  token: string;
  done: JustDone | null;
  /** A daily reader about to leave is offered the weekly digest instead (after the unsubscribe button, never before it). */
  offerWeekly?: boolean;
  /** What the page holds between where the subscription stands and the buttons that end or change it (the choices). */
  children?: Child;
}

/** The heading, the state and the buttons of a page a link opened. GET shows it; only its buttons change anything. */
export function SubscriptionState({ page, email, status, token, done, offerWeekly = false, children }: SubscriptionStateProps) {
  const view = stateView(page, status, done);
  const [before, after = ""] = view.text.split("{address}");
  const query = `?token=${encodeURIComponent(token)}`;
  return (
    <>
      <h1>{view.heading}</h1>
      <p>
        {before}
        <strong>{maskAddress(email)}</strong>
        {after}
      </p>
      {children}
      {view.actions.map((action) => {
        if (action === "confirm" && page === "confirm")
          return (
            <form method="post" action="/confirm">
              <input type="hidden" name="token" value={token} />
              <button type="submit">Confirm my subscription</button>
            </form>
          );
        if (action === "confirm" || action === "resubscribe")
          return (
            <form method="post" action={`/resubscribe${query}`}>
              {done === "unsubscribed" && <p class="hint">Clicked by mistake?</p>}
              <button type="submit" class={action === "confirm" ? undefined : "secondary"}>
                {action === "confirm" ? "Confirm my subscription" : "Subscribe again"}
              </button>
            </form>
          );
        if (action === "unsubscribe")
          return (
            <>
              <form method="post" action={`/unsubscribe${query}`}>
                <input type="hidden" name="List-Unsubscribe" value="One-Click" />
                <button type="submit" class={page === "unsubscribe" && done === null ? undefined : "secondary"}>
                  Unsubscribe
                </button>
              </form>
              {offerWeekly && status === "active" && (
                <form method="post" action={`/preferences/weekly${query}`}>
                  <p class="hint">Too much mail? The weekly digest is one email on Monday with the week's top papers.</p>
                  <button type="submit" class="secondary">
                    Switch to weekly instead
                  </button>
                </form>
              )}
            </>
          );
        // Erasure is asked once, on a page of its own: this button only opens it.
        return (
          <form method="get" action="/unsubscribe/delete">
            <input type="hidden" name="token" value={token} />
            <p class="hint">Want us to forget you entirely? We delete your address and everything about it.</p>
            <button type="submit" class="secondary">
              Delete my data
            </button>
          </form>
        );
      })}
    </>
  );
}
