import { join } from "node:path";
import { measureWorkerBundle } from "../../test/support/bundle-size";
import { createLocalState, type DevWorker, type LocalState, startDevWorker } from "../../test/support/dev-worker";
import { busyDayPapers } from "../../test/support/hf-items";
import { sharedBenchWorker } from "./bundle";

export interface RenderOptions {
  /** Timed renders per size (after the first, which is reported on its own). */
  iterations?: number;
  /** Recipients personalised per timed round (in batches of 100, as a chunk does). */
  recipients?: number;
  rounds?: number;
  /** Also measure the Worker bundle with `wrangler deploy --dry-run` (about 10 s). */
  bundle?: boolean;
}

interface RenderFigures {
  papers: number;
  /** The first render in a fresh Worker: what a cold isolate pays. */
  firstMs: number;
  medianMs: number;
  p90Ms: number;
  htmlBytes: number;
  textBytes: number;
}

export interface RenderResult {
  options: Required<RenderOptions>;
  renders: RenderFigures[];
  /** µs per recipient: unsubscribe and preferences tokens (two HMACs), links and topics filled in, headers. Median round. */
  personaliseUsPerRecipient: number;
  /** The same plus JSON-encoding the recipient's part of the Resend batch request. */
  personaliseAndEncodeUsPerRecipient: number;
  /** Of personalisation: signing both links alone, and the unsubscribe link alone (all a recipient cost before the preferences link). */
  tokensUsPerRecipient: number;
  unsubscribeTokenUsPerRecipient: number;
  /** Every personalised email carried its own unsubscribe and preferences links and its reader's topics, and no placeholder was left. */
  personalisedCorrectly: boolean;
  bundle: { uploadKiB: number; gzipKiB: number } | null;
}

interface Email {
  to: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/**
 * Times paperboy's digest rendering and per-recipient personalisation inside workerd (through
 * the bench entry's `/__bench/render` and `/__bench/personalise`; workerd's clock has 1 ms
 * resolution) and measures the Worker bundle as `wrangler deploy --dry-run` reports it.
 */
export async function runRender(input: RenderOptions = {}): Promise<RenderResult> {
  const options = { iterations: 20, recipients: 10_000, rounds: 5, bundle: true, ...input };
  let state: LocalState | null = null;
  let worker: DevWorker | null = null;
  try {
    state = await createLocalState();
    const script = await sharedBenchWorker();
    worker = await startDevWorker({ state, script });
    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const response = await fetch(`${worker!.url}${path}`, { method: "POST", body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };

    const renders: RenderFigures[] = [];
    for (const count of [10, 30]) {
      const papers = busyDayPapers(count);
      const answer = await post<{ times: number[]; htmlBytes: number; textBytes: number }>("/__bench/render", {
        papers,
        iterations: options.iterations + 1,
      });
      const [firstMs, ...rest] = answer.times;
      const sorted = rest.sort((a, b) => a - b);
      renders.push({
        papers: count,
        firstMs: firstMs!,
        medianMs: sorted[Math.floor(sorted.length / 2)]!,
        p90Ms: sorted[Math.floor(sorted.length * 0.9)]!,
        htmlBytes: answer.htmlBytes,
        textBytes: answer.textBytes,
      });
    }

    // One 10-paper rendering; readers with every topic, one topic, two, and their own keyword in turn.
    const lists = [busyDayPapers(10)];
    const members = READER_TOPICS.map((topics) => [0, topics]);
    const personalise = async (encode: boolean, part = "emails") => {
      await post("/__bench/personalise", { lists, members, recipients: 1000, encode, part }); // warm-up
      const rounds: number[] = [];
      for (let i = 0; i < options.rounds; i++) {
        const answer = await post<{ ms: number }>("/__bench/personalise", { lists, members, recipients: options.recipients, encode, part });
        rounds.push((answer.ms * 1000) / options.recipients);
      }
      return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
    };
    const personaliseUsPerRecipient = await personalise(false);
    const personaliseAndEncodeUsPerRecipient = await personalise(true);
    const tokensUsPerRecipient = await personalise(false, "tokens");
    const unsubscribeTokenUsPerRecipient = await personalise(false, "unsubscribe");
    const { samples } = await post<{ samples: Email[] }>("/__bench/personalise", { lists, members, recipients: 3, encode: false });
    const personalisedCorrectly = samples.length === 3 && personalisedEmailsProblems(samples).length === 0;
    await worker.stop();
    worker = null;

    return {
      options,
      renders,
      personaliseUsPerRecipient,
      personaliseAndEncodeUsPerRecipient,
      tokensUsPerRecipient,
      unsubscribeTokenUsPerRecipient,
      personalisedCorrectly,
      bundle: options.bundle ? await measureWorkerBundle(join(state.dir, "dry-run")) : null,
    };
  } finally {
    await worker?.kill();
    await state?.remove();
  }
}

/** Whose topics the personalised readers have, in turn: every topic, one, two, and a keyword of their own. */
const READER_TOPICS = [[], ["agents"], ["language-models", "efficiency"], ["mamba"]];
const TOPIC_WORDS = ["all of them", "Agents", "Language models, Efficiency", "“mamba”"];

/**
 * What is wrong with the personalised emails of readers 1, 2, 3 (topics READER_TOPICS in turn): each
 * must carry its own unsubscribe link (in HTML, text and List-Unsubscribe) and preferences link,
 * its reader's topics, and no placeholder.
 */
function personalisedEmailsProblems(samples: Email[]): string[] {
  const token = (email: Email, path: string) => new RegExp(`/${path}\\?token=([\\w.-]+)`).exec(email.html)?.[1];
  const unsubscribe = samples.map((email) => token(email, "unsubscribe"));
  const preferences = samples.map((email) => token(email, "preferences"));
  const problems: string[] = [];
  if (!unsubscribe.every(Boolean) || new Set(unsubscribe).size !== samples.length) problems.push("unsubscribe links missing or shared");
  if (!preferences.every(Boolean) || new Set([...preferences, ...unsubscribe]).size !== 2 * samples.length) problems.push("preferences links missing or shared");
  samples.forEach((email, i) => {
    if (/paperboy\.invalid|paperboy-placeholder/.test(email.html + email.text)) problems.push(`email ${i + 1} kept a placeholder`);
    if (!email.text.includes(unsubscribe[i]!) || !email.headers["List-Unsubscribe"]?.includes(unsubscribe[i]!)) problems.push(`email ${i + 1}: unsubscribe link not in text and headers`);
    if (!email.text.includes(preferences[i]!)) problems.push(`email ${i + 1}: preferences link not in the text`);
    if (!email.text.includes(TOPIC_WORDS[i]!)) problems.push(`email ${i + 1}: topics "${TOPIC_WORDS[i]}" not filled in`);
  });
  return problems;
}

/** What makes a run fail its checks; empty when it passed. */
export function renderProblems(result: RenderResult): string[] {
  return result.personalisedCorrectly ? [] : ["personalised emails do not each carry their own unsubscribe and preferences links and their reader's topics"];
}
