/** @jsxImportSource hono/jsx */
import { OperatorLayout } from "./layout";

/**
 * An edition as readers would get it: the HTML in a sandboxed frame (no scripts, no same origin, no
 * forms), and the plain-text part beside it.
 */
export function PreviewPage({ edition, subject, html, text, sample, stored }: { edition: string; subject: string; html: string; text: string; sample: boolean; stored: boolean }) {
  return (
    <OperatorLayout title={`Preview ${edition}`} signedIn>
      <p>
        <a href="/admin#editions">Back to the dashboard</a>
      </p>
      <h1>Preview of {edition}</h1>
      <p>
        Subject: <strong>{subject}</strong>. {stored ? "As it was built and stored." : "Not built yet: rendered now from the source, nothing stored or sent."}
        {sample && " From the bundled sample papers (offline)."}
      </p>
      <h2>HTML</h2>
      <iframe class="preview" title={`The HTML email of ${edition}`} sandbox="" srcdoc={html}></iframe>
      <h2>Text</h2>
      <pre class="preview">{text}</pre>
    </OperatorLayout>
  );
}
