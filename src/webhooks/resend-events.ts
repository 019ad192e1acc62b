import { isCalendarDay, isIsoWeek } from "../lib/calendar";
import { parseEmailAddress } from "../subscribers/address";
import { eventStatement } from "../subscribers/store";

/** Three transient bounces in a row suppress an address like a permanent bounce. */
const TRANSIENT_BOUNCE_LIMIT = 3;

/** `edition`: the edition the mail belonged to, from its `edition` tag; null for mail that is not a digest. */
export type DeliveryEvent =
  | { kind: "bounced"; permanent: boolean; recipients: string[]; edition: string | null }
  | { kind: "complained"; recipients: string[]; edition: string | null }
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
    return { kind: "bounced", permanent: bounceType === "Permanent", recipients, edition: editionTag(data) };
  }
  if (type === "email.complained") return recipients.length ? { kind: "complained", recipients, edition: editionTag(data) } : null;
  if (type === "email.delivered") return recipients.length ? { kind: "delivered", recipients } : null;
  return { kind: "ignored", type };
}

/**
 * The `edition` tag a digest mail was sent with (`digest/send-chunk.ts`), as Resend echoes it in
 * `data.tags`: its examples show an object (`{ "edition": "2026-12-03" }`), the send API takes an
 * array of `{ name, value }`; both are read. Anything but an edition's name is ignored.
 */
function editionTag(data: object): string | null {
  const tags = (data as { tags?: unknown }).tags;
  let value: unknown;
  if (Array.isArray(tags)) value = (tags as { name?: unknown; value?: unknown }[]).find((tag) => tag?.name === "edition")?.value;
  else if (typeof tags === "object" && tags !== null) value = (tags as Record<string, unknown>).edition;
  return typeof value === "string" && (isCalendarDay(value) || isIsoWeek(value)) ? value : null;
}

/**
 * The D1 statements that apply an event to the subscribers it names and count it against its
 * edition. They run in one batch with the record of the webhook's id, so an event takes effect
 * (and counts) exactly once, however often Resend delivers it.
 */
export function eventStatements(db: D1Database, event: DeliveryEvent, now: number): D1PreparedStatement[] {
  if (event.kind === "ignored") return [];
  return [...feedbackStatements(db, event), ...subscriberStatements(db, event, now)];
}

/** An edition's bounce or complaint, counted once per event (one email); the dashboard shows its rates. */
function feedbackStatements(db: D1Database, event: DeliveryEvent): D1PreparedStatement[] {
  if ((event.kind !== "bounced" && event.kind !== "complained") || event.edition === null) return [];
  return [
    db
      .prepare("INSERT INTO edition_feedback (edition, kind, count) VALUES (?, ?, 1) ON CONFLICT (edition, kind) DO UPDATE SET count = count + 1")
      .bind(event.edition, event.kind),
  ];
}

function subscriberStatements(db: D1Database, event: Exclude<DeliveryEvent, { kind: "ignored" }>, now: number): D1PreparedStatement[] {
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
