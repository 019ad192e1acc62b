/** @jsxImportSource hono/jsx */
import type { GrowthDay } from "../../operations/growth";

const WIDTH = 720;
const HEIGHT = 230;
const TOP = 12;
const BASELINE = 160;
const BOTTOM = 205;

/**
 * Sign-ups (up) and leavers (down) per day as bars on one scale, and the active readers at each
 * day's end as a line on its own scale, drawn on the server as SVG: no script, nothing to load.
 */
export function GrowthChart({ days }: { days: GrowthDay[] }) {
  const step = WIDTH / Math.max(1, days.length);
  const barWidth = Math.max(1, step - 1.5);
  const maxUp = Math.max(1, ...days.map((day) => day.signups));
  const maxDown = Math.max(1, ...days.map((day) => day.leavers));
  const perReader = Math.min((BASELINE - TOP) / maxUp, (BOTTOM - BASELINE) / maxDown);
  const maxActive = Math.max(1, ...days.map((day) => day.active));
  const activeY = (active: number) => BOTTOM - (active / maxActive) * (BOTTOM - TOP);
  const line = days.map((day, index) => `${(index * step + step / 2).toFixed(1)},${activeY(day.active).toFixed(1)}`).join(" ");
  const labelled = [0, Math.floor(days.length / 2), days.length - 1].filter((index, position, all) => index >= 0 && all.indexOf(index) === position);
  const first = days[0]?.date ?? "";
  const last = days.at(-1)?.date ?? "";
  return (
    <figure>
      <ul class="legend" aria-hidden="true">
        <li>
          <span class="swatch signups"></span>sign-ups
        </li>
        <li>
          <span class="swatch leavers"></span>leavers
        </li>
        <li>
          <span class="swatch active"></span>active readers (right scale, up to {maxActive.toLocaleString("en-US")})
        </li>
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Sign-ups, leavers and active readers per day from ${first} to ${last}; the numbers are in the table below.`} data-chart="growth">
        <line class="axis" x1="0" x2={WIDTH} y1={BASELINE} y2={BASELINE} />
        {days.map((day, index) => (
          <g>
            <title>{`${day.date}: ${day.signups} sign-ups, ${day.leavers} leavers, ${day.active} active`}</title>
            {day.signups > 0 && <rect class="signups" x={(index * step).toFixed(1)} y={(BASELINE - day.signups * perReader).toFixed(1)} width={barWidth.toFixed(1)} height={(day.signups * perReader).toFixed(1)} />}
            {day.leavers > 0 && <rect class="leavers" x={(index * step).toFixed(1)} y={BASELINE} width={barWidth.toFixed(1)} height={(day.leavers * perReader).toFixed(1)} />}
          </g>
        ))}
        <polyline class="active-line" points={line} />
        {labelled.map((index) => (
          <text x={Math.min(WIDTH - 40, index * step)} y={HEIGHT - 6}>
            {days[index]!.date.slice(5)}
          </text>
        ))}
      </svg>
      <figcaption>
        Readers over the last {days.length} days. Active readers are counted back from today using each reader's latest dates.
      </figcaption>
      <details>
        <summary>The numbers, day by day</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Sign-ups, confirmations, leavers and active readers per day</caption>
            <thead>
              <tr>
                <th scope="col">day</th>
                <th scope="col">sign-ups</th>
                <th scope="col">confirmed</th>
                <th scope="col">leavers</th>
                <th scope="col">active at day's end</th>
              </tr>
            </thead>
            <tbody>
              {days.toReversed().map((day) => (
                <tr>
                  <th scope="row">{day.date}</th>
                  <td>{day.signups}</td>
                  <td>{day.confirmations}</td>
                  <td>{day.leavers}</td>
                  <td>{day.active}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
