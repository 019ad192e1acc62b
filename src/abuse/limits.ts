/**
 * Workers Rate Limiting behind one small interface: sign-ups per client, resolving false when
 * `clientKey` is over its limit. (Mail to one address needs no limiter of its own: the outbox sends
 * an address at most one confirmation per 10 minutes, whoever asks.)
 */
export interface RateLimits {
  signup(clientKey: string): Promise<boolean>;
}

export function createRateLimits(env: Pick<Env, "SIGNUP_LIMITER">): RateLimits {
  return { signup: async (key) => (await env.SIGNUP_LIMITER.limit({ key })).success };
}
