// What `npm start` and `npm test` decide before anything runs (scripts/lib/startup.mjs): which Node
// installs the dependencies, and what to say and set when the papers source is offline.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

interface Startup {
  installCommand(machineNode: string, lock: unknown): { command: string; says: string };
  offlineSettings(args: string[], reachable: boolean): { says: string | null; devArgs: string[] };
}

/** Loaded by URL: the scripts are plain JavaScript, run by whatever Node the machine has. */
const startup = (): Promise<Startup> => import(/* @vite-ignore */ new URL("../../scripts/lib/startup.mjs", import.meta.url).href);
const lock = async () => JSON.parse(await readFile(new URL("../../package-lock.json", import.meta.url), "utf8")) as { packages: Record<string, { version?: string }> };

describe("installing the dependencies", () => {
  it("uses the project's own Node (the node devDependency) when the machine's is older than `engines`, so npm prints no EBADENGINE warnings", async () => {
    const { installCommand } = await startup();
    const bundled = (await lock()).packages["node_modules/node"]!.version!;
    expect(bundled).toMatch(/^24\./);
    expect(installCommand("20.20.2", await lock())).toEqual({
      command: `npx --yes --package=node@${bundled} -- npm ci --no-audit --no-fund`,
      says: `Installing npm dependencies (npm ci, with the project's Node ${bundled})…`,
    });
  });

  it("runs plain npm ci on a Node that meets `engines`", async () => {
    const { installCommand } = await startup();
    for (const version of ["22.0.0", "24.21.0", "26.1.0"]) expect(installCommand(version, await lock()).command).toBe("npm ci --no-audit --no-fund");
  });
});

describe("starting offline", () => {
  it("says so in one line and has the Worker use the sample papers without asking anybody", async () => {
    const { offlineSettings } = await startup();
    expect(offlineSettings(["--port", "8788"], false)).toEqual({
      says: "paperboy: huggingface.co is unreachable (offline?), so local digests use the bundled sample papers.",
      devArgs: ["--var", "PAPERS_SOURCE:sample"],
    });
  });

  it("changes nothing online, or when the developer chose the papers source", async () => {
    const { offlineSettings } = await startup();
    expect(offlineSettings([], true)).toEqual({ says: null, devArgs: [] });
    expect(offlineSettings(["--var", "PAPERS_API_URL:http://localhost:9999/api"], false)).toEqual({ says: null, devArgs: [] });
  });
});
