/**
 * An edition's emails: one rendering per distinct paper list, whoever's choices led to it. A
 * reader's list is the edition's papers in rank order, filtered by their topics and cut at their
 * size; readers whose lists come out equal share one rendering, across slots too, and everything
 * that differs per reader (links, the topics line) is a placeholder filled in at send time.
 */
import type { Config } from "../config";
import type { Paper } from "../papers/paper";
import { matchesAnyTopic } from "../papers/topics";
import type { RenderedEmail } from "../presentation/render-email";
import { renderDigest } from "./render";
import type { Digest } from "./store";

/** A reader's choices that decide their papers. */
export interface Selection {
  size: number;
  topics: readonly string[];
}

/** The reader's papers: the edition's, in rank order, on their topics, at most `size`. */
export function selectPapers(papers: readonly Paper[], selection: Selection): Paper[] {
  const chosen: Paper[] = [];
  for (const paper of papers) {
    if (chosen.length === selection.size) break;
    if (matchesAnyTopic(paper, selection.topics)) chosen.push(paper);
  }
  return chosen;
}

/** Names a paper list: equal lists, equal keys (24 hex digits of SHA-256 over the ids in order). */
export async function renderingKey(papers: readonly Paper[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(papers.map((paper) => paper.id).join("\n")));
  return [...new Uint8Array(digest).slice(0, 12)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Renderings never change once stored: every chunk of an isolate reads each one from D1 once.
const cache = new Map<string, Promise<RenderedEmail | null>>();
const CACHE_LIMIT = 500;

/** The stored renderings of an edition under `keys`; a missing key is absent from the map. */
export async function loadRenderings(db: D1Database, edition: string, keys: readonly string[]): Promise<Map<string, RenderedEmail>> {
  const loaded = new Map<string, RenderedEmail>();
  for (const key of new Set(keys)) {
    const id = `${edition}/${key}`;
    let rendering = cache.get(id);
    if (!rendering) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      rendering = db
        .prepare("SELECT subject, html, text FROM digest_renderings WHERE edition = ? AND key = ?")
        .bind(edition, key)
        .first<RenderedEmail>();
      cache.set(id, rendering);
      void rendering.then((row) => row ?? cache.delete(id), () => cache.delete(id));
    }
    const row = await rendering;
    if (row) loaded.set(key, row);
  }
  return loaded;
}

/**
 * Makes sure every list in `lists` (by key) has its rendering stored, rendering only those the
 * edition does not have yet. Rendering is deterministic, so two freezes racing store the same row.
 * Returns how many it rendered.
 */
export async function ensureRenderings(
  deps: { db: D1Database; config: Config; clock: { now(): number } },
  digest: Pick<Digest, "edition" | "sample">,
  lists: ReadonlyMap<string, Paper[]>,
): Promise<number> {
  if (lists.size === 0) return 0;
  const { results } = await deps.db
    .prepare("SELECT key FROM digest_renderings WHERE edition = ?1 AND key IN (SELECT value FROM json_each(?2))")
    .bind(digest.edition, JSON.stringify([...lists.keys()]))
    .all<{ key: string }>();
  const stored = new Set(results.map((row) => row.key));
  const missing = [...lists].filter(([key]) => !stored.has(key));
  const statements: D1PreparedStatement[] = [];
  for (const [key, papers] of missing) {
    const email = await renderDigest({ edition: digest.edition, papers, config: deps.config, sample: digest.sample });
    statements.push(
      deps.db
        .prepare(
          `INSERT INTO digest_renderings (edition, key, paper_ids, subject, html, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (edition, key) DO NOTHING`,
        )
        .bind(digest.edition, key, JSON.stringify(papers.map((paper) => paper.id)), email.subject, email.html, email.text, deps.clock.now()),
    );
  }
  // Each rendering is tens of KB: a few per batch keeps every request small.
  for (let start = 0; start < statements.length; start += 10) await deps.db.batch(statements.slice(start, start + 10));
  return missing.length;
}
