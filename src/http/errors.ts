/**
 * The one error type routes throw: a status, a stable code for API clients and a message for people.
 * `offersManageByEmail`: the error is a dead end (a broken, expired or old link), so its page offers
 * a new link by email.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly offersManageByEmail = false,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** API clients send or accept JSON, and API sub-apps (the operator endpoints) always speak it; browsers get a page. */
export function wantsJson(c: { var: { api?: boolean }; req: { header(name: string): string | undefined } }): boolean {
  if (c.var.api) return true;
  const type = c.req.header("content-type") ?? "";
  if (/^application\/json\b/i.test(type)) return true;
  const accept = c.req.header("accept") ?? "";
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}
