import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { type AdminSession, SESSION_HOURS } from "../operations/admin-sessions";
import type { AppEnv } from "./context";

/**
 * The dashboard's session cookie: the session id, signed with a key derived from ADMIN_TOKEN (so a
 * new token ends every session), `HttpOnly`, `Secure`, `SameSite=Strict`, sent to /admin only.
 */
const COOKIE = "paperboy_admin";
const PATH = "/admin";

const signingKey = (adminToken: string) => `paperboy admin session\u0000${adminToken}`;

export async function setSessionCookie(c: Context<AppEnv>, adminToken: string, session: AdminSession): Promise<void> {
  await setSignedCookie(c, COOKIE, session.id, signingKey(adminToken), {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: PATH,
    maxAge: SESSION_HOURS * 60 * 60,
  });
}

/** The session id of a cookie whose signature holds; null when there is none, "forged" when it does not hold. */
export async function sessionCookie(c: Context<AppEnv>, adminToken: string): Promise<string | null | "forged"> {
  const value = await getSignedCookie(c, signingKey(adminToken), COOKIE);
  if (value === undefined) return null;
  return value === false ? "forged" : value;
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, { path: PATH, secure: true, httpOnly: true, sameSite: "Strict" });
}
