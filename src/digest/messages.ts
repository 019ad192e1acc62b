/**
 * What travels on the queue: small pointers into D1, never the mail itself. Besides the
 * digest's fan-out and chunks, confirmation emails for imported subscribers go this way too.
 */
export type DigestMessage =
  | { kind: "fanout"; date: string }
  | { kind: "chunk"; date: string; chunk: number }
  | { kind: "confirm"; subscriberIds: number[] };

/** Confirmation emails per queue message: a message's sends stay well inside one invocation. */
export const CONFIRMATIONS_PER_MESSAGE = 50;

export function isDigestMessage(body: unknown): body is DigestMessage {
  if (typeof body !== "object" || body === null) return false;
  const message = body as Record<string, unknown>;
  if (message.kind === "confirm")
    return (
      Array.isArray(message.subscriberIds) &&
      message.subscriberIds.length <= CONFIRMATIONS_PER_MESSAGE &&
      message.subscriberIds.every((id) => Number.isInteger(id))
    );
  if (typeof message.date !== "string") return false;
  if (message.kind === "fanout") return true;
  return message.kind === "chunk" && Number.isInteger(message.chunk) && (message.chunk as number) >= 0;
}
