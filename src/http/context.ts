import type { Config } from "../config";
import type { LifecycleDeps } from "../subscribers/subscription";

export interface AppEnv {
  Bindings: Env;
  Variables: { config: Config; deps: LifecycleDeps; requestId: string; cspNonce: string };
}
