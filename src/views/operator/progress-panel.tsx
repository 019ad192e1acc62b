/** @jsxImportSource hono/jsx */
import type { EditionProgress } from "../../operations/progress";

export interface EditionGoingOut {
  edition: string;
  cadence: string;
  progress: EditionProgress;
}

const number = (value: number) => value.toLocaleString("en-US");

/**
 * The editions going out now: a bar of settled recipients and the figures behind it. The page's
 * script (dashboard.js) polls `/admin/digests/:edition` and updates the `data-field` elements until
 * the edition is done; without the script, reloading the page shows the same.
 */
export function ProgressPanel({ editions }: { editions: EditionGoingOut[] }) {
  return (
    <section class="panel" id="progress" aria-labelledby="progress-title">
      <h2 id="progress-title">Going out now</h2>
      {editions.length === 0 && <p class="muted">No edition is going out right now.</p>}
      {editions.map(({ edition, cadence, progress }) => (
        <div class="progress-card" data-progress={edition} data-done={String(progress.done)}>
          <h3>
            {edition} <span class="muted">({cadence})</span>
          </h3>
          <progress max={100} value={progress.percent} aria-label={`${edition}: share of recipients settled`} data-field="bar">
            {progress.percent}%
          </progress>
          <p>
            <strong data-field="percent">{progress.percent}%</strong> settled:{" "}
            <span data-field="summary">
              {number(progress.recipients.sent)} sent of {number(progress.recipients.total)} frozen so far
            </span>
            {/* The only live part: announced once, when the edition is done, not at every poll. */}
            <span data-field="done" role="status">
              {progress.done ? ". Done." : ""}
            </span>
          </p>
          <dl>
            <dt>chunks sent / total</dt>
            <dd data-field="chunks">
              {number(progress.chunks.sent)} / {number(progress.chunks.total)}
            </dd>
            <dt>recipients in flight</dt>
            <dd data-field="inFlight">{number(progress.recipients.inFlight)}</dd>
            <dt>pending</dt>
            <dd data-field="pending">{number(progress.recipients.pending)}</dd>
            <dt>failed</dt>
            <dd data-field="failed">{number(progress.recipients.failed)}</dd>
            <dt>send rate (calls/s, limit)</dt>
            <dd data-field="rate">
              {progress.rate.callsPerSecond.toFixed(2)} / {progress.rate.limitCallsPerSecond}
            </dd>
            <dt>finish estimate</dt>
            <dd data-field="finish">{progress.finishEstimate ? progress.finishEstimate.slice(11, 19) + " UTC" : "–"}</dd>
          </dl>
        </div>
      ))}
    </section>
  );
}
