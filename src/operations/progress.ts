/**
 * Where an edition going out stands, for the dashboard's progress bar and `GET /admin/digests/:date`:
 * its frozen recipients by the state of their chunk, the send rate over the last minute against the
 * configured limit, and when it should finish at that rate.
 */
export interface EditionProgress {
  /** True once the edition is settled (sent, sent with failures, or skipped): the page stops polling. */
  done: boolean;
  chunks: { total: number; sent: number; inFlight: number; pending: number; failed: number };
  /** Recipients frozen so far (later send slots add theirs when their morning comes). */
  recipients: { total: number; sent: number; inFlight: number; pending: number; failed: number };
  /** Settled recipients (sent or failed) per frozen recipient, 0–100. */
  percent: number;
  rate: { callsPerSecond: number; emailsPerSecond: number; limitCallsPerSecond: number };
  /** ISO time the frozen recipients should all be sent by at the last minute's rate; null when idle or done. */
  finishEstimate: string | null;
}

const RATE_WINDOW_MS = 60_000;
const SETTLED = new Set(["sent", "sent_with_failures", "skipped"]);

export async function editionProgress(db: D1Database, edition: string, now: number, limitCallsPerSecond: number): Promise<EditionProgress | null> {
  const [digest, byStatus, recent] = await db.batch([
    db.prepare("SELECT status FROM digests WHERE edition = ?").bind(edition),
    db
      .prepare("SELECT status, COUNT(*) AS chunks, COALESCE(SUM(member_count), 0) AS members, COALESCE(SUM(sent_count), 0) AS sent FROM digest_chunks WHERE edition = ? GROUP BY status")
      .bind(edition),
    db.prepare("SELECT COUNT(*) AS calls, COALESCE(SUM(sent_count), 0) AS emails FROM digest_chunks WHERE edition = ? AND sent_at > ?").bind(edition, now - RATE_WINDOW_MS),
  ]);
  const status = (digest?.results?.[0] as { status: string } | undefined)?.status;
  if (status === undefined) return null;
  const chunks = { total: 0, sent: 0, inFlight: 0, pending: 0, failed: 0 };
  const recipients = { total: 0, sent: 0, inFlight: 0, pending: 0, failed: 0 };
  for (const row of (byStatus?.results ?? []) as { status: string; chunks: number; members: number; sent: number }[]) {
    const key = row.status === "sent" ? "sent" : row.status === "sending" ? "inFlight" : row.status === "pending" ? "pending" : "failed";
    chunks[key] += row.chunks;
    chunks.total += row.chunks;
    recipients[key] += key === "sent" ? row.sent : row.members;
    recipients.total += row.members;
  }
  const window = (recent?.results?.[0] ?? { calls: 0, emails: 0 }) as { calls: number; emails: number };
  const emailsPerSecond = window.emails / (RATE_WINDOW_MS / 1000);
  const toGo = recipients.pending + recipients.inFlight;
  const done = SETTLED.has(status);
  const settled = recipients.total - toGo;
  return {
    done,
    chunks,
    recipients,
    percent: recipients.total === 0 ? (done ? 100 : 0) : Math.floor((settled / recipients.total) * 100),
    rate: { callsPerSecond: window.calls / (RATE_WINDOW_MS / 1000), emailsPerSecond, limitCallsPerSecond },
    finishEstimate: done || toGo === 0 || emailsPerSecond === 0 ? null : new Date(now + (toGo / emailsPerSecond) * 1000).toISOString(),
  };
}

/** The editions going out now (ready or sending), newest first, with their progress. */
export async function editionsGoingOut(db: D1Database, now: number, limitCallsPerSecond: number): Promise<{ edition: string; cadence: string; progress: EditionProgress }[]> {
  const { results } = await db
    .prepare("SELECT edition, cadence FROM digests WHERE status IN ('ready', 'sending') ORDER BY edition DESC LIMIT 5")
    .all<{ edition: string; cadence: string }>();
  const editions = await Promise.all(results.map(async ({ edition, cadence }) => ({ edition, cadence, progress: await editionProgress(db, edition, now, limitCallsPerSecond) })));
  return editions.flatMap(({ progress, ...entry }) => (progress ? [{ ...entry, progress }] : []));
}
