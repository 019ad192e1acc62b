// Vite's `?raw` imports (a file's text), which the worker tests use to check wrangler.toml.
declare module "*?raw" {
  const text: string;
  export default text;
}
