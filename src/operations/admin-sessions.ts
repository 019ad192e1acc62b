/**
 * The operator's sign-in on the dashboard: a session is a random id the browser keeps in a cookie
 * and D1 keeps as a SHA-256 hash with its expiry. Signing out deletes it; rotating ADMIN_TOKEN ends
 * every session too, because the cookie's signature is keyed with it (see http/admin-session.ts).
 */
import { sha256Hex, toBase64Url } from "../lib/encoding";

export const SESSION_HOURS = 12;
const SESSION_MS = SESSION_HOURS * 60 * 60 * 1000;

export interface AdminSession {
  id: string;
  expiresAt: number;
}

export async function startSession(db: D1Database, now: number): Promise<AdminSession> {
  const id = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = now + SESSION_MS;
  // Expired sessions go as new ones start: there are few, and this keeps the table to live ones.
  await db.batch([
    db.prepare("DELETE FROM admin_sessions WHERE expires_at <= ?").bind(now),
    db.prepare("INSERT INTO admin_sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)").bind(await sha256Hex(id), now, expiresAt),
  ]);
  return { id, expiresAt };
}

export async function isLiveSession(db: D1Database, id: string, now: number): Promise<boolean> {
  const row = await db.prepare("SELECT 1 FROM admin_sessions WHERE id_hash = ? AND expires_at > ?").bind(await sha256Hex(id), now).first();
  return row !== null;
}

export async function endSession(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM admin_sessions WHERE id_hash = ?").bind(await sha256Hex(id)).run();
}
