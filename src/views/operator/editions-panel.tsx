/** @jsxImportSource hono/jsx */
import { COMPLAINT_ADVICE, COMPLAINT_LIMIT, type Stats } from "../../operations/stats";
import { ActionForm } from "./action-form";

type Edition = Stats["digests"][number];

const percent = (rate: number | null) => (rate === null ? "–" : `${(rate * 100).toFixed(2)}%`);
const SETTLED = new Set(["sent", "sent_with_failures", "skipped"]);

/** The last editions with their delivery figures, the complaint rate marked against Gmail's limits, and what can be done about each. */
export function EditionsPanel({ editions }: { editions: Edition[] }) {
  return (
    <section class="panel" id="editions" aria-labelledby="editions-title">
      <h2 id="editions-title">Editions</h2>
      <p class="muted">
        {editions.length === 1 ? "The one edition so far." : `The last ${editions.length} editions, newest first.`} Complaint rates are marked from Google's advised {percent(COMPLAINT_ADVICE)} and
        from Gmail's limit of {percent(COMPLAINT_LIMIT)}. Refused: addresses Resend would not send to.
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">edition</th>
              <th scope="col" class="text">cadence</th>
              <th scope="col" class="text">status</th>
              <th scope="col">recipients</th>
              <th scope="col">sent</th>
              <th scope="col">failed</th>
              <th scope="col">refused</th>
              <th scope="col">unknown</th>
              <th scope="col">suppressed</th>
              <th scope="col">bounces</th>
              <th scope="col">complaints</th>
              <th scope="col" class="text">actions</th>
            </tr>
          </thead>
          <tbody>
            {editions.length === 0 && (
              <tr>
                <td colspan={12} class="text muted">
                  No edition yet: the first is built when its day is over.
                </td>
              </tr>
            )}
            {editions.map((edition) => (
              <tr data-edition={edition.edition}>
                <th scope="row">{edition.edition}</th>
                <td class="text">{edition.cadence}</td>
                <td class="text">{edition.status.replace(/_/g, " ")}</td>
                <td>{edition.recipients}</td>
                <td>{edition.sent}</td>
                <td>{edition.failed}</td>
                <td>{edition.refused}</td>
                <td>{edition.unknown}</td>
                <td>{edition.suppressed}</td>
                <td>
                  {edition.bounced} <span class="muted">({percent(edition.bounceRate)})</span>
                </td>
                <td>
                  {edition.complained} <span class="muted">({percent(edition.complaintRate)})</span>{" "}
                  {edition.complaintWarning === "limit" && <span class="badge bad">Gmail's 0.3% reached</span>}
                  {edition.complaintWarning === "advice" && <span class="badge warn">0.1% reached</span>}
                </td>
                <td class="text">
                  <a href={`/admin/preview?edition=${edition.edition}`}>Preview</a>
                  {edition.failed > 0 && (
                    <ActionForm action="/admin/actions/retry" label="Retry failed" confirm={`sure: retry ${edition.edition}`} inline>
                      <input type="hidden" name="edition" value={edition.edition} />
                    </ActionForm>
                  )}
                  {!SETTLED.has(edition.status) && (
                    <ActionForm action="/admin/actions/send" label="Re-drive" confirm={`sure: re-drive ${edition.edition}`} inline>
                      <input type="hidden" name="edition" value={edition.edition} />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
