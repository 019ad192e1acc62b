import { parseEmailAddress } from "../subscribers/address";
import { eventStatement } from "../subscribers/store";

/** Three transient bounces in a row suppress an address like a permanent bounce. */
const TRANSIENT_BOUNCE_LIMIT = 3;

export type DeliveryEvent =
  | { kind: "bounced"; permanent: boolean; recipients: string[] }
  | { kind: "complained"; recipients: string[] }
  | { kind: "delivered"; recipients: string[] }
  | { kind: "ignored"; type: string };

/** Reads a Resend webhook body into what paperboy acts on; null when it is not a Resend event. */
export function parseResendEvent(body: unknown): DeliveryEvent | null {
  if (typeof body !== "object" || body === null) return null;
  const { type, data } = body as { type?: unknown; data?: unknown };
  if (typeof type !== "string" || typeof data !== "object" || data === null) return null;
  const to = (data as { to?: unknown }).to;
  const recipients = (Array.isArray(to) ? to : [to]).filter((value): value is string => typeof value === "string");
  if (type === "email.bounced") {
    if (recipients.length === 0) return null;
    const bounceType = (data as { bounce?: { type?: unknown } }).bounce?.type;
    // Resend labels bounces Permanent, Transient or Undetermined; only Permanent is certain.
    return { kind: "bounced", permanent: bounceType === "Permanent", recipients };
  }
  if (type === "email.complained") return recipients.length ? { kind: "complained", recipients } : null;
  if (type === "email.delivered") return recipients.length ? { kind: "delivered", recipients } : null;
  return { kind: "ignored", type };
}

/**
 * The D1 statements that apply an event to the subscribers it names. They run in one batch
 * with the record of the webhook's id, so an event takes effect exactly once.
 */
export function eventStatements(db: D1Database, event: DeliveryEvent, now: number): D1PreparedStatement[] {
  if (event.kind === "ignored") return [];
  const keys = event.recipients
    .map((recipient) => parseEmailAddress(recipient))
    .flatMap((parsed) => (parsed.ok ? [parsed.value.key] : []));
  return keys.flatMap((key) => {
    if (event.kind === "delivered")
      return [db.prepare("UPDATE subscribers SET transient_bounces = 0 WHERE email_key = ?").bind(key)];
    if (event.kind === "complained") return [eventStatement(db, { emailKey: key }, "complain", now)];
    if (event.permanent) return [eventStatement(db, { emailKey: key }, "bounce", now)];
    return [
      db.prepare("UPDATE subscribers SET transient_bounces = transient_bounces + 1, updated_at = ? WHERE email_key = ?").bind(now, key),
      eventStatement(db, { emailKey: key }, "bounce", now, { sql: "transient_bounces >= ?", params: [TRANSIENT_BOUNCE_LIMIT] }),
    ];
  });
}
