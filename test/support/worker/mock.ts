/** The mock Resend + Hugging Face upstream (test/support/mock-upstream.ts), driven from inside workerd. */
import { inject } from "vitest";
import type { Delivery, MockSettings, RecordedSend, SendCall } from "../mock-types";

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

export type Send = Omit<RecordedSend, "body"> & { body: SentEmail };

/** Every call the mock Resend received, in order. */
export async function mockSends(): Promise<Send[]> {
  return (await fetch(`${mockUrl}/__mock/sends`)).json();
}

/** Sends the mock accepted (status 200) for one recipient. */
export async function acceptedSendsTo(address: string): Promise<Send[]> {
  return (await mockSends()).filter((send) => send.status === 200 && send.body.to.includes(address));
}

/** Every call the mock Resend received, without the (large) bodies. */
export async function mockCalls(): Promise<SendCall[]> {
  return (await fetch(`${mockUrl}/__mock/calls`)).json();
}

/** Digest emails the mock accepted (once per recipient per accepted call), optionally for one date. */
export async function digestDeliveries(date?: string): Promise<Delivery[]> {
  const deliveries: Delivery[] = await (await fetch(`${mockUrl}/__mock/deliveries`)).json();
  const prefix = date ? `digest/${date}/` : "digest/";
  return deliveries.filter((delivery) => delivery.idempotencyKey?.startsWith(prefix));
}
