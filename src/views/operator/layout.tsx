/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { Document } from "../layout";
import { operatorStyles } from "./styles";

/**
 * The operator's pages: the readers' stylesheet widened for tables and charts. `script` is the
 * dashboard's one script (live progress), loaded by nonce; every page works without it.
 */
export function OperatorLayout({ title, signedIn, script, children }: { title: string; signedIn: boolean; script?: { nonce: string }; children: Child }) {
  return (
    <Document
      title={`${title} · paperboy operator`}
      extraStyles={operatorStyles}
      head={
        <>
          <meta name="robots" content="noindex" />
          {script && <script src="/admin/dashboard.js" defer nonce={script.nonce}></script>}
        </>
      }
    >
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
    </Document>
  );
}
