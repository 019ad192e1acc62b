/** @jsxImportSource hono/jsx */
import type { PublishedDigest } from "../digest/archive";
import { digestView } from "../presentation/digest-view";
import { Layout } from "./layout";
import { PaperList } from "./paper-list";

/**
 * A digest's web version ("view in browser"), built from the papers it sent rather than from
 * the stored email, so no subscriber's link can ever end up on it.
 */
export function DigestPage({ digest, siteUrl }: { digest: PublishedDigest; siteUrl: string }) {
  const view = digestView({ edition: digest.edition, papers: digest.papers, siteUrl, sample: digest.sample });
  return (
    <Layout title={view.heading}>
      <h1>{view.heading}</h1>
      <p class="hint">
        {view.intro} <a href="/archive">All past digests</a>
      </p>
      {digest.sample && (
        <p class="card">These are paperboy's bundled sample papers, sent while Hugging Face was unreachable.</p>
      )}
      <PaperList papers={view.papers} />
      <section class="card" aria-labelledby="subscribe-heading">
        <h2 id="subscribe-heading" style="font-size:1.15rem;margin:0 0 .5rem">
          Get this in your inbox
        </h2>
        <p style="margin:0">
          {digest.cadence === "weekly" ? "A digest like this one arrives every Monday morning." : "A digest like this one arrives every morning."}{" "}
          <a href="/">Subscribe to paperboy</a>
        </p>
      </section>
    </Layout>
  );
}
