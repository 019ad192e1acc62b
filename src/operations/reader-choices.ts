/**
 * What active readers chose: how many read daily or weekly, at which size, the most chosen topics
 * and time zones. Operator-only numbers, read over the active readers (an index scan).
 */
export interface ReaderChoices {
  byCadence: Record<string, number>;
  bySize: Record<string, number>;
  /** The most chosen topics (built-in ids and readers' own keywords), most chosen first. */
  topTopics: { topic: string; readers: number }[];
  /** Readers who chose no topic, so receive every paper. */
  everyTopic: number;
  topTimeZones: { timeZone: string; readers: number }[];
  byDeliveryHour: Record<string, number>;
}

const TOP = 10;

export async function collectReaderChoices(db: D1Database): Promise<ReaderChoices> {
  const active = "FROM subscribers WHERE status = 'active'";
  const [cadences, sizes, topics, everyTopic, zones, hours] = await db.batch([
    db.prepare(`SELECT cadence AS key, COUNT(*) AS n ${active} GROUP BY cadence`),
    db.prepare(`SELECT digest_size AS key, COUNT(*) AS n ${active} GROUP BY digest_size`),
    db.prepare(
      `SELECT topic.value AS key, COUNT(*) AS n FROM subscribers, json_each(subscribers.topics) AS topic
       WHERE subscribers.status = 'active' GROUP BY topic.value ORDER BY n DESC, key LIMIT ${TOP}`,
    ),
    db.prepare(`SELECT NULL AS key, COUNT(*) AS n ${active} AND topics = '[]'`),
    db.prepare(`SELECT timezone AS key, COUNT(*) AS n ${active} GROUP BY timezone ORDER BY n DESC, key LIMIT ${TOP}`),
    db.prepare(`SELECT delivery_hour AS key, COUNT(*) AS n ${active} GROUP BY delivery_hour`),
  ]);
  const rows = (result: D1Result | undefined) => (result?.results ?? []) as { key: string | number; n: number }[];
  const counts = (result: D1Result | undefined) => Object.fromEntries(rows(result).map((row) => [String(row.key), row.n]));
  return {
    byCadence: { daily: 0, weekly: 0, ...counts(cadences) },
    bySize: counts(sizes),
    topTopics: rows(topics).map((row) => ({ topic: String(row.key), readers: row.n })),
    everyTopic: rows(everyTopic)[0]?.n ?? 0,
    topTimeZones: rows(zones).map((row) => ({ timeZone: String(row.key), readers: row.n })),
    byDeliveryHour: counts(hours),
  };
}
