/** @jsxImportSource hono/jsx */
import { digestCopy } from "../../emails/daily-digest";
import { longDate } from "../../emails/_components/digest-date";
import type { PublishedDigest } from "../digest/archive";
import { Layout } from "./layout";
import { PaperList } from "./paper-list";

/**
 * A digest's web version ("view in browser"), built from the papers it sent rather than from
 * the stored email, so no subscriber's link can ever end up on it.
 */
export function DigestPage({ digest }: { digest: PublishedDigest }) {
  const day = longDate(digest.date);
  return (
    <Layout title={day}>
      <h1>{day}</h1>
      <p class="hint">
        {digestCopy.intro(digest.papers.length)} <a href="/archive">All past digests</a>
      </p>
      {digest.sample && (
        <p class="card">These are paperboy's bundled sample papers, sent while Hugging Face was unreachable.</p>
      )}
      <PaperList papers={digest.papers} />
      <section class="card" aria-labelledby="subscribe-heading">
        <h2 id="subscribe-heading" style="font-size:1.15rem;margin:0 0 .5rem">
          Get this in your inbox
        </h2>
        <p style="margin:0">
          A digest like this one arrives every morning. <a href="/">Subscribe to paperboy</a>
        </p>
      </section>
    </Layout>
  );
}
