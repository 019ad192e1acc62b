/** @jsxImportSource hono/jsx */
import type { PublishedDigest } from "../digest/archive";
import type { Paper } from "../papers/paper";
import { editionHeading } from "../presentation/dates";
import { huggingFaceUrl, statsLine } from "../presentation/paper-facts";
import { texToText } from "../presentation/tex";
import { ScreeningFields, type TurnstileWidget } from "./form-parts";
import { Layout } from "./layout";

/** How many of the latest digest's papers the home page shows as a sample of what one gets. */
const PREVIEW_PAPERS = 5;

interface HomePageProps {
  email?: string;
  error?: string;
  latest?: PublishedDigest | null;
  turnstile?: TurnstileWidget;
}

export function HomePage({ email = "", error, latest, turnstile }: HomePageProps) {
  return (
    <Layout title="paperboy">
      <h1>The day's trending AI papers, in your inbox</h1>
      <p>
        Every morning paperboy sends the most upvoted papers from Hugging Face's Daily Papers: title, authors, a
        one-line summary, and links to the paper, the PDF and the code. Or once a week, the week's best.
      </p>
      <p class="hint">
        It arrives at 07:00 where you are. Choose your topics, how many papers and the hour any time, from a link in
        every email. No tracking pixels. Leave with one click whenever you like.
      </p>
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
        <fieldset class="choices">
          <legend>How often</legend>
          <label class="inline">
            <input type="radio" name="cadence" value="daily" checked /> Every weekday
          </label>
          <label class="inline">
            <input type="radio" name="cadence" value="weekly" /> Weekly, on Monday
          </label>
        </fieldset>
        <ScreeningFields turnstile={turnstile} />
        <button type="submit">Subscribe</button>
      </form>
      {latest && latest.papers.length > 0 && (
        <section class="card" aria-labelledby="latest-heading">
          <h2 id="latest-heading" style="font-size:1.15rem;margin:0 0 .5rem">
            From the latest digest, {editionHeading(latest.edition)}
          </h2>
          <TopPapers papers={latest.papers.slice(0, PREVIEW_PAPERS)} />
          <p style="margin:0">
            <a href={`/digest/${latest.edition}`}>Read the whole digest</a> · <a href="/archive">Past digests</a>
          </p>
        </section>
      )}
    </Layout>
  );
}

/** A few top papers, one line each: a taste of what one gets. */
function TopPapers({ papers }: { papers: Paper[] }) {
  return (
    <ol>
      {papers.map((paper) => (
        <li>
          <a href={huggingFaceUrl(paper)}>{texToText(paper.title)}</a> <span class="hint">({statsLine(paper)})</span>
        </li>
      ))}
    </ol>
  );
}
