/** The one error type routes throw: a status, a stable code for API clients and a message for people. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/**
 * API clients send or accept JSON, and operator endpoints always speak it; browsers get a page.
 * Takes Hono's request so the path is the one the router matched (`/%61dmin/stats` is an admin path).
 */
export function wantsJson(request: { path: string; header(name: string): string | undefined }): boolean {
  if (request.path.startsWith("/admin/")) return true;
  const type = request.header("content-type") ?? "";
  if (/^application\/json\b/i.test(type)) return true;
  const accept = request.header("accept") ?? "";
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}
