import { type DeliveryEvent, eventStatements } from "./resend-events";

/**
 * Applies a verified webhook event once: the record of its `svix-id` and its effects run in one
 * D1 batch, so Resend's retries of the same delivery find it recorded and change nothing.
 */
export async function recordDeliveryEvent(db: D1Database, id: string, event: DeliveryEvent, now: number): Promise<"processed" | "ignored" | "duplicate"> {
  const type = event.kind === "ignored" ? event.type : `email.${event.kind}`;
  try {
    await db.batch([
      db.prepare("INSERT INTO webhook_events (id, type, received_at) VALUES (?, ?, ?)").bind(id, type, now),
      ...eventStatements(db, event, now),
    ]);
  } catch (error) {
    if (/UNIQUE constraint failed: webhook_events/.test(String(error))) return "duplicate";
    throw error;
  }
  return event.kind === "ignored" ? "ignored" : "processed";
}
