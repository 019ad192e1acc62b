/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { styles } from "../styles";
import { operatorStyles } from "./styles";

/**
 * The operator's pages: the readers' stylesheet widened for tables and charts. `script` is the
 * dashboard's one script (live progress), loaded by nonce; every page works without it.
 */
export function OperatorLayout({ title, signedIn, script, children }: { title: string; signedIn: boolean; script?: { nonce: string }; children: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <meta name="robots" content="noindex" />
          <title>{`${title} · paperboy operator`}</title>
          <style>{raw(styles + operatorStyles)}</style>
          {script && <script src="/admin/dashboard.js" defer nonce={script.nonce}></script>}
        </head>
        <body>
          <header>
            <a class="brand" href="/admin">
              paperboy · operator
            </a>
            {signedIn && (
              <form method="post" action="/admin/sign-out">
                <button type="submit" class="secondary">
                  Sign out
                </button>
              </form>
            )}
          </header>
          <main id="main">{children}</main>
        </body>
      </html>
    </>
  );
}
