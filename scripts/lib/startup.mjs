// The decisions `npm start` and `npm test` make before anything runs, as plain functions (tested in
// test/node/startup.test.ts). Plain JavaScript: it may run on the machine's older Node.

/**
 * How to install the dependencies: with the project's own Node (the `node` devDependency, which npx
 * fetches first) when the machine's Node is older than package.json's `engines`. Run by an older
 * Node, npm warns (EBADENGINE) about every package that needs a newer one, though none of them ever
 * runs on it.
 *
 * @param {string} machineNode e.g. "20.20.2"
 * @param {{ packages?: Record<string, { version?: string, engines?: { node?: string } }> }} lock package-lock.json
 * @returns {{ command: string, says: string }}
 */
export function installCommand(machineNode, lock) {
  const plain = "npm ci --no-audit --no-fund";
  const bundled = lock.packages?.["node_modules/node"]?.version;
  const required = Number(/\d+/.exec(lock.packages?.[""]?.engines?.node ?? "")?.[0] ?? 0);
  if (!bundled || Number(machineNode.split(".")[0]) >= required) return { command: plain, says: "Installing npm dependencies (npm ci)…" };
  return {
    command: `npx --yes --package=node@${bundled} -- ${plain}`,
    says: `Installing npm dependencies (npm ci, with the project's Node ${bundled})…`,
  };
}

/** Where the Worker asks for papers; `npm start` checks it answers DNS before serving. */
export const PAPERS_HOST = "huggingface.co";

/**
 * What `npm start` adds when the papers source is unreachable (offline): one line to print, and the
 * variable that has the Worker use its bundled sample papers without asking (every request would
 * only fail inside workerd with a stack trace). Nothing when the developer set PAPERS_* themselves.
 *
 * @param {string[]} args the arguments given to `npm start`
 * @param {boolean} reachable whether PAPERS_HOST resolved
 * @returns {{ says: string | null, devArgs: string[] }}
 */
export function offlineSettings(args, reachable) {
  if (reachable || args.some((arg) => arg.includes("PAPERS_"))) return { says: null, devArgs: [] };
  return {
    says: `paperboy: ${PAPERS_HOST} is unreachable (offline?), so local digests use the bundled sample papers.`,
    devArgs: ["--var", "PAPERS_SOURCE:sample"],
  };
}
