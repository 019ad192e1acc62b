// Which papers a reader gets: the edition's, in rank order, on their topics, at most their size;
// and what a reader may choose, refused clearly when it is not a choice.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { renderingKey, selectPapers } from "../../src/digest/renderings";
import { matchesAnyTopic, TOPICS } from "../../src/papers/topics";
import { applyPreferences, DEFAULT_PREFERENCES, PreferenceFields } from "../../src/subscribers/preferences";
import { longPapers } from "../fixtures/long-papers";
import { makePaper } from "../fixtures/papers";

const paper = (title: string, summary = "", aiKeywords: string[] = []) => makePaper({ title, summary, aiKeywords });

describe("topics", () => {
  it("matches a built-in topic by its keywords in the title, the abstract or Hugging Face's keywords", () => {
    expect(matchesAnyTopic(paper("Tool-Use Agents for Web Navigation"), ["agents"])).toBe(true);
    expect(matchesAnyTopic(paper("A study", "We train an agentic planner."), ["agents"])).toBe(true);
    expect(matchesAnyTopic(paper("A study", "", ["robot manipulation"]), ["robotics"])).toBe(true);
    expect(matchesAnyTopic(paper("Speculative Decoding at Scale"), ["efficiency"])).toBe(true);
    expect(matchesAnyTopic(paper("Theory of Mind in Children"), ["robotics"])).toBe(false);
  });

  it("matches a reader's own keyword as a whole word or phrase, whatever its case, and only that", () => {
    expect(matchesAnyTopic(paper("Mamba: Linear-Time Sequence Modeling"), ["mamba"])).toBe(true);
    expect(matchesAnyTopic(paper("Gamba and Mambas"), ["mamba"])).toBe(false);
    expect(matchesAnyTopic(paper("Sparse Mixture of Experts"), ["mixture of experts"])).toBe(true);
    expect(matchesAnyTopic(paper("Mixture-of-Experts routing"), ["mixture of experts"])).toBe(false);
    expect(matchesAnyTopic(paper("C++ for ML (c++17)"), ["c++"])).toBe(true);
  });

  it("lets every paper through when no topic is chosen, and any chosen topic is enough", () => {
    const papers = longPapers.slice(0, 30);
    expect(papers.every((candidate) => matchesAnyTopic(candidate, []))).toBe(true);
    const rl = papers.filter((candidate) => matchesAnyTopic(candidate, ["reinforcement-learning"]));
    const llm = papers.filter((candidate) => matchesAnyTopic(candidate, ["language-models"]));
    const either = papers.filter((candidate) => matchesAnyTopic(candidate, ["reinforcement-learning", "language-models"]));
    expect(rl.length).toBeGreaterThan(0);
    expect(llm.length).toBeGreaterThan(0);
    expect(new Set(either)).toEqual(new Set([...rl, ...llm]));
  });

  it("has a dozen built-in topics, each with a label and keywords", () => {
    expect(TOPICS.length).toBe(12);
    for (const topic of TOPICS) {
      expect(topic.id).toMatch(/^[a-z-]+$/);
      expect(topic.keywords.length).toBeGreaterThan(0);
    }
  });
});

describe("a reader's papers", () => {
  const papers = longPapers.slice(0, 30);

  it("are the edition's top papers in rank order, cut at the reader's size", () => {
    for (const size of [3, 5, 10, 20]) expect(selectPapers(papers, { size, topics: [] })).toEqual(papers.slice(0, size));
  });

  it("are the top papers on the reader's topics; fewer when fewer match; none when none do", () => {
    const rl = selectPapers(papers, { size: 20, topics: ["reinforcement-learning"] });
    expect(rl.length).toBeGreaterThan(0);
    expect(rl.length).toBeLessThan(20);
    expect(rl).toEqual(papers.filter((candidate) => matchesAnyTopic(candidate, ["reinforcement-learning"])));
    expect(selectPapers(papers, { size: 3, topics: ["no-such-word-anywhere"] })).toEqual([]);
  });

  it("share one rendering when different choices select the same list, and only then", async () => {
    const onlyOne = papers.filter((candidate) => matchesAnyTopic(candidate, ["pokergpt"]));
    expect(onlyOne).toHaveLength(1);
    const small = await renderingKey(selectPapers(papers, { size: 3, topics: ["pokergpt"] }));
    const large = await renderingKey(selectPapers(papers, { size: 20, topics: ["pokergpt"] }));
    expect(small).toBe(large);
    expect(await renderingKey(papers.slice(0, 3))).not.toBe(await renderingKey(papers.slice(0, 5)));
    expect(await renderingKey([papers[1]!, papers[0]!])).not.toBe(await renderingKey([papers[0]!, papers[1]!]));
  });
});

describe("a reader's choices", () => {
  const parse = (input: unknown) => v.safeParse(PreferenceFields, input);

  it("take strings from a form and values from JSON alike, and keep what was not sent", () => {
    const form = parse({ cadence: "weekly", size: "5", topics: "Agents, mamba ,robotics", timezone: "asia/calcutta", hour: "8" });
    expect(form.success && applyPreferences(DEFAULT_PREFERENCES, form.output)).toEqual({
      cadence: "weekly",
      size: 5,
      topics: ["agents", "robotics", "mamba"],
      timeZone: "Asia/Kolkata",
      deliveryHour: 8,
    });
    const json = parse({ size: 20, topics: ["Reinforcement learning"] });
    expect(json.success && applyPreferences(DEFAULT_PREFERENCES, json.output)).toEqual({ ...DEFAULT_PREFERENCES, size: 20, topics: ["reinforcement-learning"] });
    expect(parse({ topics: [] }).success && parse({ topics: "" }).success).toBe(true);
  });

  it.each([
    [{ cadence: "monthly" }, "cadence", "daily"],
    [{ size: 7 }, "size", "3, 5, 10 or 20"],
    [{ size: "ten" }, "size", "3, 5, 10 or 20"],
    [{ topics: Array.from({ length: 11 }, (_, index) => `keyword ${index}`) }, "topics", "up to 10"],
    [{ topics: ["x".repeat(41)] }, "topics", "40 characters"],
    [{ topics: ["a"] }, "topics", "2 to 40"],
    [{ topics: ["<script>"] }, "topics", "keywords"],
    [{ timezone: "Mars/Olympus" }, "timezone", "IANA"],
    [{ timezone: "+05:30" }, "timezone", "IANA"],
    [{ hour: 5 }, "hour", "6 to 10"],
    [{ hour: "11" }, "hour", "6 to 10"],
  ])("refuse %j, naming the field and saying what is allowed", (input, field, words) => {
    const result = parse(input);
    expect(result.success).toBe(false);
    const [issue] = result.issues!;
    expect(issue!.path?.map((part) => part.key).join("_")).toBe(field);
    expect(issue!.message).toContain(words);
  });
});
