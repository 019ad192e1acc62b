import type { TestProject } from "vitest/node";
import { startMockUpstream } from "./mock-upstream";

/** One mock Resend + Hugging Face server for the whole run; tests reset it in `beforeEach`. */
export default async function setup(project: TestProject) {
  const mock = await startMockUpstream();
  project.provide("mockUpstreamUrl", mock.url);
  return () => mock.close();
}
