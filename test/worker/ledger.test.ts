import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type Chunk, claimChunk, findChunk, lockPayload, nextChunkAttempt, releaseChunk, sentStatement } from "../../src/digest/ledger";

const markChunkSent = (chunk: Chunk, ids: string[], now: number) =>
  sentStatement(env.DB, chunk, { ids, sentCount: ids.length, rejectedCount: 0 }, now).run();

const EDITION = "2026-01-05";
const SLOT = Date.parse("2026-01-06T07:00:00Z");

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare("INSERT INTO digests (edition, cadence, status, ready_at, created_at, updated_at) VALUES (?, 'daily', 'sending', 1, 1, 1)").bind(EDITION),
    env.DB.prepare(
      `INSERT INTO digest_chunks (edition, chunk, slot, members, member_count, status, updated_at)
       VALUES (?1, 0, ?2, '[[100, "k", []]]', 1, 'pending', 1), (?1, 1, ?2, '[[101, "k", []]]', 1, 'pending', 1)`,
    ).bind(EDITION, SLOT),
  ]);
});

describe("the chunk ledger", () => {
  it("lets a consumer that outlived its lease change nothing once a successor holds the chunk", async () => {
    const first = (await claimChunk(env.DB, EDITION, 0, 1_000, 100))!;
    expect(await claimChunk(env.DB, EDITION, 0, 1_050, 100)).toBeNull(); // still leased
    const second = (await claimChunk(env.DB, EDITION, 0, 1_200, 100))!; // the lease ran out
    expect(second.attempts).toBe(first.attempts + 1);

    await releaseChunk(env.DB, first, { error: "late answer", outcomeUnknown: false }, 1_300);
    await markChunkSent(first, ["stale"], 1_300);
    expect(await nextChunkAttempt(env.DB, first, { error: "late retry", outcomeUnknown: false }, 1_300, 100)).toBeNull();
    expect((await findChunk(env.DB, EDITION, 0))?.status).toBe("sending");

    await markChunkSent(second, ["fresh", "fresh"], 1_400);
    expect((await findChunk(env.DB, EDITION, 0))?.status).toBe("sent");
  });

  it("keeps the recipients' addresses and members only while the chunk is in flight", async () => {
    const chunk = (await claimChunk(env.DB, EDITION, 1, 2_000, 100))!;
    expect(chunk.members).toEqual([[101, "k", []]]);
    await lockPayload(env.DB, chunk, [[101, "a@example.com", 1, "k", []]], 2_000);
    expect((await findChunk(env.DB, EDITION, 1))?.recipients).toEqual([[101, "a@example.com", 1, "k", []]]);
    await markChunkSent(chunk, ["r1"], 2_100);
    const sent = await findChunk(env.DB, EDITION, 1);
    expect(sent?.status).toBe("sent");
    expect(sent?.recipients).toBeNull();
    expect(sent?.members).toBeNull();
  });
});
