import type { Config } from "../config";
import type { Mailer } from "../delivery/mailer";
import type { DigestMessage } from "./messages";

/** Everything the digest pipeline needs from the outside world, passed in explicitly. */
export interface DigestDeps {
  db: D1Database;
  mailer: Mailer;
  config: Config;
  queue: Queue<DigestMessage>;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  log: (entry: object) => void;
}
