/** @jsxImportSource hono/jsx */
import { editionHeading } from "../presentation/dates";
import { texToText } from "../presentation/tex";
import type { ArchiveEntry } from "../digest/archive";
import { Layout } from "./layout";

interface ArchivePageProps {
  entries: ArchiveEntry[];
  page: number;
  pageCount: number;
}

/** Every published edition, daily and weekly, newest first, one page at a time. */
export function ArchivePage({ entries, page, pageCount }: ArchivePageProps) {
  return (
    <Layout title={page > 1 ? `Past digests, page ${page}` : "Past digests"}>
      <h1>Past digests</h1>
      <p class="hint">
        Every digest paperboy has sent, newest first. Follow them with the <a href="/feed.xml">daily feed</a> or the{" "}
        <a href="/feed/weekly.xml">weekly feed</a>.
      </p>
      {entries.length === 0 ? (
        <p>No digest has been sent yet. The first one goes out tomorrow morning.</p>
      ) : (
        <ul style="padding-left:1.25rem">
          {entries.map((entry) => (
            <li style="margin-bottom:.75rem">
              <a href={`/digest/${entry.edition}`}>{entry.cadence === "weekly" ? `Weekly: ${editionHeading(entry.edition)}` : editionHeading(entry.edition)}</a>
              <br />
              <span class="hint">
                {entry.paperCount === 1 ? "1 paper" : `${entry.paperCount} papers`}
                {entry.topTitle && `, led by “${texToText(entry.topTitle)}”`}
                {entry.sample && " (sample papers)"}
              </span>
            </li>
          ))}
        </ul>
      )}
      {pageCount > 1 && (
        <nav aria-label="Archive pages">
          <p>
            {page > 1 && (
              <a href={page === 2 ? "/archive" : `/archive?page=${page - 1}`} rel="prev">
                ← Newer digests
              </a>
            )}
            {page > 1 && page < pageCount && " · "}
            {page < pageCount && (
              <a href={`/archive?page=${page + 1}`} rel="next">
                Older digests →
              </a>
            )}
          </p>
          <p class="hint">
            Page {page} of {pageCount}
          </p>
        </nav>
      )}
    </Layout>
  );
}
