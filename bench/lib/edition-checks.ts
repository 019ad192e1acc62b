/**
 * What the editions benchmarks check against the Worker: from the seeded choices alone, the
 * distinct paper lists each edition must render and who it must reach (`selection.ts`), then
 * from the mock's record, whether each of those readers got exactly one email whose subject names
 * the top paper of their own list.
 */
import type { Paper } from "../../src/papers/paper";
import { deliveryFaults } from "../../test/support/exactly-once";
import type { Delivery } from "../../test/support/mock-types";
import { groupKey } from "./reader-mix";
import type { Choices } from "./seed";
import { seededAddress } from "./seed";
import { type ChoiceGroup, expectedLists, readerList } from "./selection";
import { titleMark } from "./topic-papers";

export interface Expectation {
  /** Per edition: its distinct non-empty lists (the renders it must take), its readers and those it must not mail. */
  editions: Map<string, { cadence: Choices["cadence"]; lists: number; readers: number; unmatched: number; papersByList: Paper[][] }>;
  /** The list reader n must get (empty: nothing matched). */
  listOf(n: number): Paper[];
}

/**
 * @param ranked each cadence's edition and its papers in the order the Worker stored them
 */
export function expectationFor(count: number, choicesOf: (n: number) => Choices, ranked: Map<Choices["cadence"], { edition: string; papers: Paper[] }>): Expectation {
  const groups = new Map<string, ChoiceGroup & { cadence: Choices["cadence"] }>();
  for (let n = 1; n <= count; n++) {
    const choices = choicesOf(n);
    const key = groupKey(choices);
    const group = groups.get(key) ?? { cadence: choices.cadence, size: choices.size, topics: choices.topics, readers: 0 };
    group.readers += 1;
    groups.set(key, group);
  }
  const editions: Expectation["editions"] = new Map();
  for (const [cadence, { edition, papers }] of ranked) {
    const mine = [...groups.values()].filter((group) => group.cadence === cadence);
    const { lists, unmatched } = expectedLists(papers, mine);
    const readers = mine.reduce((sum, group) => sum + group.readers, 0);
    editions.set(edition, { cadence, lists: lists.size, readers, unmatched, papersByList: [...lists.values()].map((list) => list.papers) });
  }
  const cache = new Map<string, Paper[]>();
  return {
    editions,
    listOf(n) {
      const choices = choicesOf(n);
      const key = groupKey(choices);
      let list = cache.get(key);
      if (!list) cache.set(key, (list = readerList(ranked.get(choices.cadence)?.papers ?? [], choices.size, choices.topics)));
      return list;
    },
  };
}

export interface ReaderCheck {
  /** Readers whose choices matched something: each must get the edition once. */
  expected: number;
  /** Of them, how many got it (at least once). */
  reached: number;
  duplicates: number;
  misses: number;
  /** Mailed addresses that should not have been (unmatched readers included). */
  strangers: number;
  /** Emails whose subject does not name the top paper of their reader's list. */
  wrongTopPaper: number;
}

const readerNumber = (address: string) => Number(/^reader(\d+)@/.exec(address)?.[1] ?? NaN);

export function checkReaders(count: number, expectation: Expectation, deliveries: readonly Delivery[]): ReaderCheck {
  const digest = deliveries.filter((delivery) => delivery.idempotencyKey?.startsWith("digest/"));
  const expected: string[] = [];
  for (let n = 1; n <= count; n++) if (expectation.listOf(n).length > 0) expected.push(seededAddress(n));
  const faults = deliveryFaults(expected, digest);
  let wrongTopPaper = 0;
  for (const delivery of digest) {
    const top = expectation.listOf(readerNumber(delivery.to))[0];
    if (!top || !delivery.subject.includes(titleMark(top))) wrongTopPaper += 1;
  }
  return { expected: expected.length, reached: expected.length - faults.misses, ...faults, wrongTopPaper };
}

export function readerProblems(check: ReaderCheck): string[] {
  const found: string[] = [];
  if (check.duplicates > 0) found.push(`${check.duplicates} readers mailed twice`);
  if (check.misses > 0) found.push(`${check.misses} readers never mailed`);
  if (check.strangers > 0) found.push(`${check.strangers} addresses mailed that should not have been`);
  if (check.wrongTopPaper > 0) found.push(`${check.wrongTopPaper} emails headed by another list's top paper`);
  return found;
}
