// Values the global setup hands to tests through vitest's `inject`.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Origin of the mock Resend + Hugging Face server (test/support/mock-upstream.ts). */
    mockUpstreamUrl: string;
  }
}
