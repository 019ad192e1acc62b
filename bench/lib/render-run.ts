import { join } from "node:path";
import { measureWorkerBundle } from "../../test/support/bundle-size";
import { createLocalState, type DevWorker, type LocalState, startDevWorker } from "../../test/support/dev-worker";
import { busyDayPapers } from "../../test/support/hf-items";
import { bundleBenchWorker } from "./bundle";

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
  /** µs per recipient: unsubscribe token (HMAC), placeholder replacement, headers. Median round. */
  personaliseUsPerRecipient: number;
  /** The same plus JSON-encoding the recipient's part of the Resend batch request. */
  personaliseAndEncodeUsPerRecipient: number;
  /** Every personalised email carried its own unsubscribe link and no placeholder was left. */
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
    const script = await bundleBenchWorker(state);
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

    const papers = busyDayPapers(10);
    const personalise = async (encode: boolean) => {
      await post("/__bench/personalise", { papers, recipients: 1000, encode }); // warm-up
      const rounds: number[] = [];
      for (let i = 0; i < options.rounds; i++) {
        const answer = await post<{ ms: number }>("/__bench/personalise", { papers, recipients: options.recipients, encode });
        rounds.push((answer.ms * 1000) / options.recipients);
      }
      return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
    };
    const personaliseUsPerRecipient = await personalise(false);
    const personaliseAndEncodeUsPerRecipient = await personalise(true);
    const { samples } = await post<{ samples: Email[] }>("/__bench/personalise", { papers, recipients: 3, encode: false });
    const links = samples.map((email) => /\/unsubscribe\?token=([\w.-]+)/.exec(email.html)?.[1]);
    const personalisedCorrectly =
      samples.length === 3 &&
      links.every(Boolean) &&
      new Set(links).size === 3 &&
      samples.every(
        (email, i) =>
          !email.html.includes("paperboy.invalid") &&
          !email.text.includes("paperboy.invalid") &&
          email.text.includes(links[i]!) &&
          email.headers["List-Unsubscribe"]?.includes(links[i]!),
      );
    await worker.stop();
    worker = null;

    return {
      options,
      renders,
      personaliseUsPerRecipient,
      personaliseAndEncodeUsPerRecipient,
      personalisedCorrectly,
      bundle: options.bundle ? await measureWorkerBundle(join(state.dir, "dry-run")) : null,
    };
  } finally {
    await worker?.kill();
    await state?.remove();
  }
}

/** What makes a run fail its checks; empty when it passed. */
export function renderProblems(result: RenderResult): string[] {
  return result.personalisedCorrectly ? [] : ["personalised emails do not each carry their own unsubscribe link"];
}
