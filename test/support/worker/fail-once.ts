/** A D1 binding that fails once, as if the isolate died at that statement: for crash tests. */
/** `db`, except that the first statement matching `pattern` fails when run, alone or in a batch. */
export function failOnce(db: D1Database, pattern: RegExp, onFail: () => void): D1Database {
  let failed = false;
  const marked = new WeakSet<D1PreparedStatement>();
  const fail = () => {
    failed = true;
    onFail();
    throw new Error("D1_ERROR: injected failure (the consumer died)");
  };
  const failing = (statement: D1PreparedStatement): D1PreparedStatement => {
    const bind = statement.bind.bind(statement);
    const run = statement.run.bind(statement);
    const wrapped = Object.assign(Object.create(statement), {
      bind: (...values: unknown[]) => failing(bind(...values)),
      run: async () => (failed ? run() : fail()),
    });
    marked.add(statement);
    realOf.set(wrapped, statement);
    return wrapped;
  };
  const realOf = new WeakMap<D1PreparedStatement, D1PreparedStatement>();
  return new Proxy(db, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => (pattern.test(sql) ? failing(target.prepare(sql)) : target.prepare(sql));
      if (property === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const real = statements.map((statement) => realOf.get(statement) ?? statement);
          if (!failed && real.some((statement) => marked.has(statement))) fail();
          return target.batch(real);
        };
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
