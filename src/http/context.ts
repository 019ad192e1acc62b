import type { Services } from "../services";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    services: Services;
    requestId: string;
    cspNonce: string;
    /** Set by API sub-apps (the operator endpoints): every answer, errors included, is JSON. */
    api?: boolean;
  };
}
