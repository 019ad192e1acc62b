/** What travels on the digest queue: small pointers into D1, never the mail itself. */
export type DigestMessage = { kind: "fanout"; date: string } | { kind: "chunk"; date: string; chunk: number };

export function isDigestMessage(body: unknown): body is DigestMessage {
  if (typeof body !== "object" || body === null) return false;
  const message = body as Record<string, unknown>;
  if (typeof message.date !== "string") return false;
  if (message.kind === "fanout") return true;
  return message.kind === "chunk" && Number.isInteger(message.chunk) && (message.chunk as number) >= 0;
}
