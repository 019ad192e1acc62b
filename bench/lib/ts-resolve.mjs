// Lets `node bench/<name>.ts` run the benchmarks without a build step. Node 24 strips the types
// itself, but it does not resolve the extensionless relative imports that the rest of the project
// (bundled by wrangler and vite) uses; this hook tries `<specifier>.ts` for those.
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, nextResolve) {
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    if (!relative || /\.[cm]?[jt]sx?$|\.json$/.test(specifier)) return nextResolve(specifier, context);
    try {
      return nextResolve(`${specifier}.ts`, context);
    } catch {
      return nextResolve(specifier, context);
    }
  },
});
