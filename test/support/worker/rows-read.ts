/** A D1 binding that adds up the rows D1 reports it read (`meta.rows_read`), for tests of what a query costs. */
export interface RowsReadDb {
  db: D1Database;
  /** Rows read since the last `reset`. */
  rowsRead(): number;
  reset(): void;
}

export function countingRowsRead(real: D1Database): RowsReadDb {
  let rows = 0;
  const tally = <T extends { meta?: { rows_read?: number } }>(result: T): T => {
    rows += result.meta?.rows_read ?? 0;
    return result;
  };
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      // first() drops the meta: the same answer through all(), counted.
      first: async (column?: string) => {
        const first = (tally(await statement.all<Record<string, unknown>>()).results[0] ?? null) as Record<string, unknown> | null;
        return column === undefined || first === null ? first : first[column];
      },
      all: async () => tally(await statement.all()),
      run: async () => tally(await statement.run()),
      raw: (options?: { columnNames?: boolean }) => statement.raw(options as { columnNames: true }),
    } as unknown as D1PreparedStatement;
    unwrapped.set(wrapped, statement);
    return wrapped;
  };
  const db = {
    prepare: (sql: string) => wrap(real.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) => (await real.batch(statements.map((statement) => unwrapped.get(statement) ?? statement))).map(tally),
    exec: (sql: string) => real.exec(sql),
    withSession: () => {
      throw new Error("countingRowsRead does not follow sessions");
    },
    dump: () => real.dump(),
  } as unknown as D1Database;
  return { db, rowsRead: () => rows, reset: () => (rows = 0) };
}
