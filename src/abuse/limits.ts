/**
 * Workers Rate Limiting behind one small interface. Each resolves false when `key` is over its
 * limit: sign-ups per client, confirmation mails per address (so nobody can flood a stranger's inbox).
 */
export interface RateLimits {
  signup(clientKey: string): Promise<boolean>;
  confirmation(emailKey: string): Promise<boolean>;
}

export function createRateLimits(env: Pick<Env, "SIGNUP_LIMITER" | "CONFIRMATION_LIMITER">): RateLimits {
  return {
    signup: async (key) => (await env.SIGNUP_LIMITER.limit({ key })).success,
    confirmation: async (key) => (await env.CONFIRMATION_LIMITER.limit({ key })).success,
  };
}
