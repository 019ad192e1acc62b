/** The mock Resend + Hugging Face upstream (test/support/mock-upstream.ts), driven from inside workerd. */
import { inject } from "vitest";
import type { Delivery, MockSettings, RecordedSend, SendCall } from "../mock-types";
import { outboxSettled } from "./db";

const mockUrl = inject("mockUpstreamUrl");

/** Clears what the mock recorded and applies `settings` (faults, rate limits, papers). */
export async function resetMock(settings: Partial<MockSettings> = {}): Promise<void> {
  const response = await fetch(`${mockUrl}/__mock/reset`, { method: "POST", body: JSON.stringify(settings) });
  if (!response.ok) throw new Error(`mock reset failed: ${response.status}`);
}

/** Changes the mock's settings without clearing what it recorded. */
export async function configureMock(settings: Partial<MockSettings>): Promise<void> {
  const response = await fetch(`${mockUrl}/__mock/configure`, { method: "POST", body: JSON.stringify(settings) });
  if (!response.ok) throw new Error(`mock configure failed: ${response.status}`);
}

export interface SentEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/** One email of a call the mock received (a batch call gives one per email, sharing its status and key). */
export type Send = Omit<RecordedSend, "body"> & { body: SentEmail };

/**
 * Every email of every call the mock Resend received, in order, once the outbox has sent what it
 * holds (the Worker's queue consumer sends it in the background, as in production).
 */
export async function mockSends(): Promise<Send[]> {
  await outboxSettled();
  const calls: RecordedSend[] = await (await fetch(`${mockUrl}/__mock/sends`)).json();
  return calls.flatMap(({ body, ...call }) => (Array.isArray(body) ? body : [body]).map((email) => ({ ...call, body: email as SentEmail })));
}

/** Sends the mock accepted (status 200) for one recipient. */
export async function acceptedSendsTo(address: string): Promise<Send[]> {
  return (await mockSends()).filter((send) => send.status === 200 && send.body.to.includes(address));
}

/** Every call the mock Resend received, without the (large) bodies. */
export async function mockCalls(): Promise<SendCall[]> {
  return (await fetch(`${mockUrl}/__mock/calls`)).json();
}

/** Every email the mock accepted: once per recipient per accepted call, never for a replayed one. */
export async function mockDeliveries(): Promise<Delivery[]> {
  return (await fetch(`${mockUrl}/__mock/deliveries`)).json();
}

/** Digest emails the mock accepted, optionally for one date. */
export async function digestDeliveries(date?: string): Promise<Delivery[]> {
  const prefix = date ? `digest/${date}/` : "digest/";
  return (await mockDeliveries()).filter((delivery) => delivery.idempotencyKey?.startsWith(prefix));
}

/** The query string of every request the mock Hugging Face received since the last reset, in order. */
export async function mockPaperRequests(): Promise<string[]> {
  return (await fetch(`${mockUrl}/__mock/paper-requests`)).json();
}
