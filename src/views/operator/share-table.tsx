/** @jsxImportSource hono/jsx */

/**
 * A small split (readers by cadence, size, topic, zone or hour) as a table whose rows carry a bar: the
 * numbers and the picture are one. Shares are of `of`, the active readers: a list of the most chosen,
 * or of choices a reader makes several of (topics), does not add up to them.
 */
export function ShareTable({ caption, rows, of, unit = "readers" }: { caption: string; rows: { label: string; count: number }[]; of: number; unit?: string }) {
  const max = Math.max(1, ...rows.map((row) => row.count));
  return (
    <div class="table-wrap">
      <table data-chart="share">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="text">
              choice
            </th>
            <th scope="col">{unit}</th>
            <th scope="col">of active</th>
            <th scope="col" class="text">
              <span class="visually-hidden">bar</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colspan={4} class="text muted">
                No active readers yet.
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr>
              <th scope="row" class="text">
                {row.label}
              </th>
              <td>{row.count.toLocaleString("en-US")}</td>
              <td>{of > 0 ? `${Math.round((row.count / of) * 100)}%` : "–"}</td>
              <td class="bar-cell" aria-hidden="true">
                <span class="bar" style={`width:${((row.count / max) * 100).toFixed(1)}%`}></span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
