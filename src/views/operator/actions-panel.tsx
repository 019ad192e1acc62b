/** @jsxImportSource hono/jsx */
import type { ReaderLookup } from "../../operations/reader-admin";
import { ActionForm } from "./action-form";

/** The operator's tools that are not about one edition in the table: any edition, one reader, the whole list. */
export function ActionsPanel({ newestEdition, reader }: { newestEdition: string; reader: { query: string; lookup: ReaderLookup } | null }) {
  return (
    <section class="panel" id="actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div class="grid">
        <div class="action">
          <h3>An edition</h3>
          <form method="get" action="/admin/preview">
            <label for="preview-edition">Edition (a day YYYY-MM-DD or a week YYYY-Www)</label>
            <input id="preview-edition" name="edition" type="text" value={newestEdition} required />
            <button type="submit" class="secondary">
              Preview
            </button>
          </form>
          <ActionForm action="/admin/actions/send" label="Send" confirm="Send it to every reader whose morning has come">
            <label for="send-edition">Edition to send (or re-drive)</label>
            <input id="send-edition" name="edition" type="text" value={newestEdition} required />
          </ActionForm>
        </div>
        <div class="action" id="reader">
          <h3>A reader</h3>
          <form method="get" action="/admin#reader">
            <label for="reader-email">Email address</label>
            <input id="reader-email" name="reader" type="email" value={reader?.query ?? ""} required />
            <button type="submit" class="secondary">
              Look up
            </button>
          </form>
          {reader && <ReaderResult lookup={reader.lookup} />}
        </div>
        <div class="action">
          <h3>The list</h3>
          <p>
            <a href="/admin/subscribers.csv" download>
              Export every reader as CSV
            </a>
          </p>
          <ActionForm action="/admin/actions/import" label="Import" confirm="Mail each new address a confirmation" multipart>
            <label for="import-file">Import a CSV (an email column, or one address per line)</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv,text/plain" required />
          </ActionForm>
        </div>
      </div>
    </section>
  );
}

function ReaderResult({ lookup }: { lookup: ReaderLookup }) {
  if (lookup.kind === "invalid")
    return (
      <p class="notice error" role="alert">
        {lookup.reason}
      </p>
    );
  if (lookup.kind === "unknown") return <p role="status">No reader with the address {lookup.address}.</p>;
  if (lookup.kind === "erased")
    return (
      <div role="status">
        <p>
          {lookup.address} was erased ({lookup.erasure.replace(/_/g, " ")}) and stays suppressed: it cannot be signed up again.
        </p>
        <LiftForm address={lookup.address} />
      </div>
    );
  const { subscriber, suppression, preferences } = lookup;
  return (
    <div role="status">
      <p>
        <strong>{subscriber.email}</strong> is {subscriber.status}
        {preferences && `, reads ${preferences.cadence}, ${preferences.size} papers at ${String(preferences.deliveryHour).padStart(2, "0")}:00 ${preferences.timeZone}`}.
      </p>
      {suppression.status && <LiftForm address={subscriber.email} />}
      <ActionForm action="/admin/actions/erase" label="Erase" confirm="Erase this reader's data for good">
        <input type="hidden" name="email" value={subscriber.email} />
      </ActionForm>
    </div>
  );
}

function LiftForm({ address }: { address: string }) {
  return (
    <ActionForm action="/admin/actions/lift" label="Lift the suppression" confirm="Let this address sign up again (nothing is sent)">
      <input type="hidden" name="email" value={address} />
    </ActionForm>
  );
}
