/** What a person or an API client would check of an answer: its status, its format, its words. */
import { expect } from "vitest";
import { headingOf } from "./forms";

export async function expectJsonError(response: Response, status: number, code: string, message?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body).toEqual({ error: { code, message: message ?? expect.stringMatching(/\w+ \w+/) } });
}

export async function expectPage(response: Response, status: number, heading: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await response.text();
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(headingOf(html)).toBe(heading);
  return html;
}
