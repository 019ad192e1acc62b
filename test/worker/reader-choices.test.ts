// Each reader gets the digest they chose: daily or weekly, their number of papers, their topics;
// readers whose choices select the same papers share one rendering; exactly once per reader and
// edition, also when a reader changes their choices while an edition is going out.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { Paper } from "../../src/papers/paper";
import { findPreferences, savePreferencesStatement } from "../../src/subscribers/preference-store";
import { countByRecipient, exactlyOnce } from "../support/exactly-once";
import { hfItemsOf } from "../support/hf-items";
import { clearDigestState, type TestSubscriber } from "../support/worker/db";
import { buildDigest } from "../../src/digest/build";
import { runCron } from "../../src/jobs/cron";
import { digestDeliveries, resetMock } from "../support/worker/mock";
import { cronAt, cronEveryFiveMinutes, insertReaders } from "../support/worker/mornings";
import { drainQueue } from "../support/worker/queue";
import { admin } from "../support/worker/requests";
import { testClock, testServices } from "../support/worker/services";
import { makePaper } from "../fixtures/papers";

const at = (iso: string) => Date.parse(iso);

/** A day's papers, most upvoted first (`top`, then ten fewer each), with topics a reader can pick by. */
function dayOf(tag: string, top = 100): Paper[] {
  const titles = [
    `Agents that browse the web (${tag})`,
    `Robot manipulation from video (${tag})`,
    `Quantization for faster inference (${tag})`,
    `A benchmark for agentic coding (${tag})`,
    `Diffusion models for image editing (${tag})`,
    `Reinforcement learning from verifiable rewards (${tag})`,
    `Theory of in-context learning (${tag})`,
  ];
  return titles.map((title, index) => makePaper({ title, summary: `${title}.`, upvotes: top - index * 10 }));
}

const MONDAY = dayOf("Mon", 100);
// Five fewer upvotes than Monday's at each rank, so the week's ranking interleaves the two days.
const TUESDAY = dayOf("Tue", 95);

beforeEach(async () => {
  // Week 49 is 30 November to 6 December 2026; its list is the days' lists (see the mock).
  await resetMock({ papers: { "2026-11-30": hfItemsOf(MONDAY), "2026-12-01": hfItemsOf(TUESDAY) } });
  await clearDigestState();
});

/** The titles each address received for the edition, in order, from the plain-text part. */
async function titlesBy(edition: string): Promise<Map<string, string[]>> {
  const titles = new Map<string, string[]>();
  for (const delivery of await digestDeliveries(edition))
    titles.set(delivery.to, [...(delivery.text ?? "").matchAll(/^\d+\.\s+(.+)$/gm)].map((match) => match[1]!.trim()));
  return titles;
}

const titlesOf = (papers: Paper[]) => papers.map((paper) => paper.title);

describe("the reader's choice", () => {
  it("sends each daily reader their size and topics, weekly readers nothing, and an unmatched reader no email", async () => {
    const everything = await insertReaders(2, {}, "everything");
    const three = await insertReaders(2, { size: 3 }, "three");
    const agents = await insertReaders(2, { topics: ["agents"] }, "agents");
    const agentsSmall = await insertReaders(1, { topics: ["agents"], size: 3 }, "agents-small");
    const keyword = await insertReaders(1, { topics: ["robotics", "quantization"], size: 5 }, "keyword");
    const nothing = await insertReaders(1, { topics: ["astrophysics"] }, "nothing");
    const weekly = await insertReaders(2, { cadence: "weekly" }, "weekly");
    const deps = testServices({ clock: testClock(at("2026-12-01T05:55:00Z")) });

    await cronEveryFiveMinutes(deps, at("2026-12-01T05:55:00Z"), at("2026-12-01T07:30:00Z"));

    const received = await titlesBy("2026-11-30");
    const expect_ = (readers: TestSubscriber[], papers: Paper[]) => {
      for (const reader of readers) expect(received.get(reader.email), reader.email).toEqual(titlesOf(papers));
    };
    expect_(everything, MONDAY);
    expect_(three, MONDAY.slice(0, 3));
    const agentic = MONDAY.filter((paper) => /agent/i.test(paper.title));
    expect_(agents, agentic);
    expect_(agentsSmall, agentic);
    expect_(keyword, [MONDAY[1]!, MONDAY[2]!]);
    for (const reader of [...nothing, ...weekly]) expect(received.has(reader.email)).toBe(false);
    expect(countByRecipient(await digestDeliveries("2026-11-30"))).toEqual(exactlyOnce([...everything, ...three, ...agents, ...agentsSmall, ...keyword]));

    // Four distinct lists (everything; top three; the agent papers; robotics and quantization): four renderings.
    const renders = await env.DB.prepare("SELECT COUNT(*) AS n FROM digest_renderings WHERE edition = ?").bind("2026-11-30").first("n");
    expect(renders).toBe(4);
    const status = await (await admin("/admin/digests/2026-11-30")).json();
    expect(status).toMatchObject({ status: "sent", recipients: 8, delivered: 8, unmatched: 1 });

    // The email says which topics it was filtered by, with a link to change them.
    const keywordMail = (await digestDeliveries("2026-11-30")).find((delivery) => delivery.to === keyword[0]!.email)!;
    expect(keywordMail.text).toContain("Your topics: Robotics, “quantization”.");
    expect(keywordMail.text).toMatch(/Change topics, size or time: https:\/\/paperboy\.test\/preferences\?token=p\./);
    const plainMail = (await digestDeliveries("2026-11-30")).find((delivery) => delivery.to === everything[0]!.email)!;
    expect(plainMail.text).toContain("Your topics: all of them.");
  });

  it("sends the weekly edition on Monday morning, the week's papers ranked, and never a paper twice within a cadence", { timeout: 120_000 }, async () => {
    const weekly = await insertReaders(2, { cadence: "weekly", size: 5, timeZone: "Europe/Berlin", deliveryHour: 8 }, "weekly");
    const daily = await insertReaders(1, {}, "daily");
    const deps = testServices({ clock: testClock(at("2026-12-01T06:00:00Z")) });
    // Monday's daily edition offered Monday's papers; the weekly one may offer them again.
    expect(await buildDigest(deps, "2026-11-30")).toMatchObject({ kind: "ready" });
    await resetMock({ papers: { "2026-11-30": hfItemsOf(MONDAY), "2026-12-01": hfItemsOf(TUESDAY), "2026-12-05": [] } });

    // Sunday 06:00 UTC builds week 49; Berlin's Monday 08:00 is 07:00 UTC.
    deps.clock.advance(at("2026-12-06T05:55:00Z") - deps.clock.now());
    await cronEveryFiveMinutes(deps, at("2026-12-06T05:55:00Z"), at("2026-12-07T07:15:00Z"));

    const received = await titlesBy("2026-W49");
    const interleaved = [MONDAY[0]!, TUESDAY[0]!, MONDAY[1]!, TUESDAY[1]!, MONDAY[2]!];
    for (const reader of weekly) expect(received.get(reader.email)).toEqual(titlesOf(interleaved));
    expect(received.has(daily[0]!.email)).toBe(false);
    const monday = (await digestDeliveries("2026-W49"))[0]!;
    expect(monday.subject).toMatch(/^paperboy weekly · Week 49, 2026: /);
    expect(monday.headers["List-Id"]).toBe("paperboy weekly <weekly.paperboy.test>");

    // The weekly edition may repeat what a daily one had, but the next week never repeats this one.
    await resetMock({ papers: { "2026-12-07": hfItemsOf([...MONDAY.slice(0, 2), ...dayOf("next")]) } });
    await cronAt(deps, at("2026-12-13T06:00:00Z"));
    const next = await (await admin("/admin/digests/2026-W50")).json<{ papers: { title: string }[] }>();
    expect(next.papers.map((paper) => paper.title)).toEqual(titlesOf(dayOf("next")));
  });

  it("gives a reader who changes their choices while an edition goes out the version frozen for them, once", async () => {
    const [reader] = await insertReaders(1, { size: 3 }, "changes-mind");
    const deps = testServices({ clock: testClock(at("2026-12-01T06:00:00Z")) });
    await cronAt(deps, at("2026-12-01T06:00:00Z"));
    // 07:00: frozen with three papers; the chunk is queued but not sent yet.
    deps.clock.advance(at("2026-12-01T07:00:00Z") - deps.clock.now());
    await runCron(deps, at("2026-12-01T07:00:00Z"));
    await drainQueue(deps, { only: (message) => message.body.kind === "freeze" });
    const before = (await findPreferences(env.DB, reader!.id))!;
    await env.DB.batch([savePreferencesStatement(env.DB, reader!.id, before, { ...before, size: 20, topics: ["robotics"] }, deps.clock.now())]);

    await drainQueue(deps);
    await cronEveryFiveMinutes(deps, at("2026-12-01T07:05:00Z"), at("2026-12-01T08:00:00Z"));
    expect((await titlesBy("2026-11-30")).get(reader!.email)).toEqual(titlesOf(MONDAY.slice(0, 3)));
    expect(countByRecipient(await digestDeliveries("2026-11-30"))).toEqual(exactlyOnce([reader!]));

    // The next edition follows the new choices.
    await cronEveryFiveMinutes(deps, at("2026-12-02T06:00:00Z"), at("2026-12-02T07:05:00Z"));
    expect((await titlesBy("2026-12-01")).get(reader!.email)).toEqual([TUESDAY[1]!.title]);
  });
});
