/** @jsxImportSource hono/jsx */
import type { Health } from "../../operations/health";

type Runs = Health["cron"]["runs"];

/** Whether paperboy runs: its last cron and queue runs (with the run ids their log lines carry), the paper source's last answer, the configuration. */
export function HealthPanel({ health }: { health: Health }) {
  const missing = health.configuration.filter((setting) => setting.required && !setting.present);
  return (
    <section class="panel" id="health" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      <ul class="cards">
        <li>
          <span class="figure">{health.cron.overdue ? <span class="badge bad">overdue</span> : <span class="badge ok">on time</span>}</span>
          <span class="label">cron, last good run {health.cron.lastOkAt ? time(health.cron.lastOkAt) : "never"}</span>
        </li>
        <li>
          <span class="figure">{health.queue.lastOkAt ? <span class="badge ok">ran</span> : <span class="badge warn">no run yet</span>}</span>
          <span class="label">queue, last good batch {health.queue.lastOkAt ? time(health.queue.lastOkAt) : "never"}</span>
        </li>
        <li>
          <span class="figure">
            {health.papers === null ? <span class="badge warn">not asked yet</span> : health.papers.ok ? <span class="badge ok">answered</span> : <span class="badge bad">failed</span>}
          </span>
          <span class="label">
            Hugging Face{health.papers && `, ${time(health.papers.at)}: ${health.papers.detail ?? ""}`}
          </span>
        </li>
        <li>
          <span class="figure">{missing.length === 0 ? <span class="badge ok">complete</span> : <span class="badge bad">{missing.length} missing</span>}</span>
          <span class="label">configuration</span>
        </li>
      </ul>
      <div class="grid">
        <RunTable caption="Last cron runs" runs={health.cron.runs} />
        <RunTable caption="Last queue batches" runs={health.queue.runs} />
      </div>
      <div class="table-wrap">
        <table>
          <caption>Configuration (values are never shown)</caption>
          <thead>
            <tr>
              <th scope="col">setting</th>
              <th scope="col" class="text">set</th>
              <th scope="col" class="text">note</th>
            </tr>
          </thead>
          <tbody>
            {health.configuration.map((setting) => (
              <tr>
                <th scope="row">{setting.name}</th>
                <td class="text">
                  {setting.present ? <span class="badge ok">set</span> : setting.required ? <span class="badge bad">missing</span> : <span class="badge warn">not set</span>}
                </td>
                <td class="text">{setting.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RunTable({ caption, runs }: { caption: string; runs: Runs }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">started</th>
            <th scope="col" class="text">outcome</th>
            <th scope="col" class="text">run id</th>
          </tr>
        </thead>
        <tbody>
          {runs.length === 0 && (
            <tr>
              <td colspan={3} class="text muted">
                None recorded yet.
              </td>
            </tr>
          )}
          {runs.map((run) => (
            <tr>
              <th scope="row">{time(run.startedAt)}</th>
              <td class="text">{run.outcome === "ok" ? <span class="badge ok">ok</span> : <span class="badge bad">{run.outcome}</span>}</td>
              <td class="text">
                <code>{run.id.slice(0, 8)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An ISO instant as "MM-DD HH:MM:SS UTC": the operator reads logs in UTC. */
function time(iso: string): string {
  return `${iso.slice(5, 10)} ${iso.slice(11, 19)} UTC`;
}
