/** @jsxImportSource hono/jsx */
import type { Health } from "../../operations/health";
import type { ReaderLookup } from "../../operations/reader-admin";
import type { Stats } from "../../operations/stats";
import { ActionsPanel } from "./actions-panel";
import { EditionsPanel } from "./editions-panel";
import { HealthPanel } from "./health-panel";
import { OperatorLayout } from "./layout";
import { type EditionGoingOut, ProgressPanel } from "./progress-panel";
import { ReadersPanel } from "./readers-panel";

export interface DashboardProps {
  stats: Stats;
  goingOut: EditionGoingOut[];
  health: Health;
  newestEdition: string;
  reader: { query: string; lookup: ReaderLookup } | null;
  /** What the last action did, worded by the route. */
  notice: string | null;
  nonce: string;
}

/** `GET /admin`: the numbers people watch, the edition going out now, what can be done, and whether it all runs. */
export function DashboardPage(props: DashboardProps) {
  return (
    <OperatorLayout title="Dashboard" signedIn script={{ nonce: props.nonce }}>
      <h1>Dashboard</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <nav class="sections" aria-label="Sections">
        <a href="#progress">Going out now</a>
        <a href="#readers">Readers</a>
        <a href="#editions">Editions</a>
        <a href="#actions">Actions</a>
        <a href="#health">Health</a>
      </nav>
      <ProgressPanel editions={props.goingOut} />
      <ReadersPanel stats={props.stats} />
      <EditionsPanel editions={props.stats.digests} />
      <ActionsPanel newestEdition={props.newestEdition} reader={props.reader} />
      <HealthPanel health={props.health} />
    </OperatorLayout>
  );
}
