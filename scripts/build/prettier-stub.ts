/**
 * Stands in for prettier in the Worker bundle. @react-email/render imports it lazily for its
 * `pretty` option, which paperboy never uses; bundled, it would cost ~80 KB gzip of the
 * Worker's size budget. Calling it is a bug, so it says so.
 */
export function format(): never {
  throw new Error("prettier is not bundled into the Worker: render emails without { pretty: true }");
}

export default {};
