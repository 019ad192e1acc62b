/**
 * The subscriber state machine, as pure data. Every status change in the database goes
 * through `nextStatus`, so what is allowed is written down exactly once.
 */
export const STATUSES = ["pending", "active", "unsubscribed", "bounced", "complained", "undeliverable"] as const;
export type SubscriberStatus = (typeof STATUSES)[number];

export type LifecycleEvent = "subscribe" | "confirm" | "unsubscribe" | "resubscribe" | "bounce" | "complain" | "refuse";

/** Statuses in which we never send again unless the address owner acts. */
export const SUPPRESSED: readonly SubscriberStatus[] = ["bounced", "complained", "undeliverable"];

const TRANSITIONS: Record<LifecycleEvent, Partial<Record<SubscriberStatus, SubscriberStatus>>> = {
  // A sign-up form entry: only a confirmation can make anyone active.
  subscribe: { pending: "pending", unsubscribed: "pending" },
  confirm: { pending: "active", active: "active" },
  unsubscribe: { pending: "unsubscribed", active: "unsubscribed", unsubscribed: "unsubscribed" },
  // From a link in our own email, which proves the reader owns the mailbox.
  resubscribe: { unsubscribed: "active", pending: "active", active: "active" },
  bounce: { pending: "bounced", active: "bounced", unsubscribed: "bounced", bounced: "bounced" },
  complain: {
    pending: "complained",
    active: "complained",
    unsubscribed: "complained",
    bounced: "complained",
    complained: "complained",
    undeliverable: "complained",
  },
  // Resend refused to send to the address at all (permissive batch validation): it cannot receive mail.
  refuse: { pending: "undeliverable", active: "undeliverable", unsubscribed: "undeliverable", undeliverable: "undeliverable" },
};

/** The status after `event`, or null when the event is not allowed from `status`. */
export function nextStatus(status: SubscriberStatus, event: LifecycleEvent): SubscriberStatus | null {
  return TRANSITIONS[event][status] ?? null;
}

/** Which statuses an event may start from: used as the guard of conditional updates. */
export function statusesAllowing(event: LifecycleEvent): SubscriberStatus[] {
  return Object.keys(TRANSITIONS[event]) as SubscriberStatus[];
}

/** The timestamp column recording entry into each status. */
export const ENTERED_AT: Record<SubscriberStatus, string> = {
  pending: "confirmation_sent_at",
  active: "confirmed_at",
  unsubscribed: "unsubscribed_at",
  bounced: "bounced_at",
  complained: "complained_at",
  undeliverable: "undeliverable_at",
};

/** A pending address gets its confirmation again at most this often; one who left and comes back gets it at once. */
export const CONFIRMATION_RESEND_INTERVAL_MS = 10 * 60 * 1000;
