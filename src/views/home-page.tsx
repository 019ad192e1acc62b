/** @jsxImportSource hono/jsx */
import { Layout } from "./layout";

export function HomePage({ email = "", error }: { email?: string; error?: string }) {
  return (
    <Layout title="paperboy">
      <h1>The day's trending AI papers, in your inbox</h1>
      <p>
        Every morning paperboy sends the ten most upvoted papers from Hugging Face's Daily Papers: title, authors, a
        one-line summary, and links to the paper, the PDF and the code.
      </p>
      <p class="hint">One email a day. No tracking pixels. Leave with one click whenever you like.</p>
      <form method="post" action="/subscribe" novalidate={false}>
        <label for="email">Your email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          inputmode="email"
          required
          maxlength={254}
          value={email}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "email-error" : "email-hint"}
        />
        {error ? (
          <p id="email-error" class="error" role="alert">
            {error}
          </p>
        ) : (
          <p id="email-hint" class="hint">
            We'll send a link to confirm it's you.
          </p>
        )}
        <button type="submit">Subscribe</button>
      </form>
    </Layout>
  );
}
