/**
 * A role only one consumer holds at a time (e.g. "the one sending the outbox"), held by a lease: a
 * holder that dies loses it when the lease runs out. Every call is one conditional statement.
 */
export async function claimRole(db: D1Database, name: string, holder: string, now: number, leaseMs: number): Promise<boolean> {
  const row = await db
    .prepare(
      `INSERT INTO send_roles (name, holder, lease_until) VALUES (?1, ?2, ?3 + ?4)
       ON CONFLICT (name) DO UPDATE SET holder = ?2, lease_until = ?3 + ?4 WHERE send_roles.lease_until <= ?3
       RETURNING holder`,
    )
    .bind(name, holder, now, leaseMs)
    .first<{ holder: string }>();
  return row?.holder === holder;
}

export async function renewRole(db: D1Database, name: string, holder: string, now: number, leaseMs: number): Promise<void> {
  await db.prepare("UPDATE send_roles SET lease_until = ? WHERE name = ? AND holder = ?").bind(now + leaseMs, name, holder).run();
}

export async function releaseRole(db: D1Database, name: string, holder: string): Promise<void> {
  await db.prepare("UPDATE send_roles SET lease_until = 0 WHERE name = ? AND holder = ?").bind(name, holder).run();
}
