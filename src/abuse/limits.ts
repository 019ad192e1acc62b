/**
 * Workers Rate Limiting behind one small interface, resolving false when `clientKey` is over its
 * limit: sign-ups per client, and the operator's sign-in attempts per client (the same budget,
 * counted apart, so a guessing script is slowed like a sign-up flood). (Mail to one address needs no
 * limiter of its own: the outbox sends an address at most one confirmation per 10 minutes, whoever asks.)
 */
export interface RateLimits {
  signup(clientKey: string): Promise<boolean>;
  signIn(clientKey: string): Promise<boolean>;
}

export function createRateLimits(env: Pick<Env, "SIGNUP_LIMITER">): RateLimits {
  return {
    signup: async (key) => (await env.SIGNUP_LIMITER.limit({ key })).success,
    signIn: async (key) => (await env.SIGNUP_LIMITER.limit({ key: `sign-in:${key}` })).success,
  };
}
