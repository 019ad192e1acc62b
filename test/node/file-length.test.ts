// The house limit: a file holds one idea, and a file over 300 lines has usually grown a second one.
// Fixtures and snapshots are data, not ideas, and bench/ keeps its own measure.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";

const LIMIT = 300;
const ROOT = new URL("../..", import.meta.url).pathname;
const CODE = ["src", "emails", "scripts", "test"];
const DATA = new Set(["test/fixtures", "test/node/__snapshots__"]);

async function codeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return DATA.has(path) ? [] : codeFiles(path);
      return /\.(ts|tsx|mjs|cjs|js)$/.test(entry.name) ? [path] : [];
    }),
  );
  return nested.flat();
}

it(`keeps every source and test file at ${LIMIT} lines or fewer`, async () => {
  const files = (await Promise.all(CODE.map(codeFiles))).flat();
  expect(files).toContain("src/index.ts");
  const lengths = await Promise.all(files.map(async (path) => ({ path, lines: (await readFile(join(ROOT, path), "utf8")).split("\n").length - 1 })));
  expect(lengths.filter(({ lines }) => lines > LIMIT)).toEqual([]);
});
