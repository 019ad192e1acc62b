/**
 * The subscriber state machine, as pure data. Every status change in the database goes
 * through `nextStatus`, so what is allowed is written down exactly once.
 */
export const STATUSES = ["pending", "active", "unsubscribed", "bounced", "complained", "undeliverable"] as const;
export type SubscriberStatus = (typeof STATUSES)[number];

export type LifecycleEvent = "subscribe" | "confirm" | "unsubscribe" | "resubscribe" | "bounce" | "complain" | "refuse" | "lift";

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
  // An operator lifts a suppression: the address may sign up (and confirm) again, nothing more.
  lift: { bounced: "unsubscribed", complained: "unsubscribed", undeliverable: "unsubscribed" },
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

/**
 * An address gets mail someone asked for (a confirmation, "you're already subscribed", a link to
 * manage the subscription) at most this often, whoever asks; one who left and comes back gets
 * their confirmation at once.
 */
export const CONFIRMATION_RESEND_INTERVAL_MS = 10 * 60 * 1000;

/** Mail a visitor's request sends: a sign-up for a known address, or "manage by email". */
export type RequestedMail = "confirm" | "already_subscribed" | "manage_link";

/**
 * What a sign-up for an address already on the list sends, by its status: the confirmation again
 * (pending), "you're already subscribed" with links to manage or leave (active), the confirmation
 * that brings them back (unsubscribed), nothing to a suppressed address. The visitor is answered
 * the same in every case.
 */
export const SIGNUP_MAIL: Record<SubscriberStatus, RequestedMail | null> = {
  pending: "confirm",
  active: "already_subscribed",
  unsubscribed: "confirm",
  bounced: null,
  complained: null,
  undeliverable: null,
};

/** "Manage by email" sends its link to every address on the list that is not suppressed. */
export const MANAGE_LINK_STATUSES: readonly SubscriberStatus[] = STATUSES.filter((status) => !SUPPRESSED.includes(status));

/** The statuses in which a sign-up sends `mail`: the guard of the statement that asks for it. */
export function statusesSendingOnSignup(mail: RequestedMail): SubscriberStatus[] {
  return STATUSES.filter((status) => SIGNUP_MAIL[status] === mail);
}

/**
 * Why an erased address stays suppressed (the `reason` of its hash). An erasure its owner or the
 * operator asked for ends when the owner signs up and confirms again; one that kept a bounce or a
 * complaint never ends on its own (only an operator lifts it).
 */
export type SuppressionReason = "deleted_by_subscriber" | "deleted_by_operator" | "bounced" | "complained" | "undeliverable";
export const LIFTED_BY_CONFIRMING: readonly SuppressionReason[] = ["deleted_by_subscriber", "deleted_by_operator"];
