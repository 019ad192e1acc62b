/** What a probe is made of, and the request it becomes. Bodies are described, not built, so a failing case prints small. */
import { signSvix } from "../../support/svix";
import { testConfig } from "../../support/worker/services";

export const BOUNDARY = "----paperboy-sweep-7d1f";
const WEBHOOK_SECRET = testConfig().resendWebhookSecret!;

export type MultipartFault = "none" | "wrong-boundary" | "unterminated" | "no-boundary";

export type BodySpec =
  | { kind: "none" }
  | { kind: "text"; text: string }
  | { kind: "csv"; text: string }
  | { kind: "bytes"; bytes: number[] }
  | { kind: "json"; value: unknown }
  | { kind: "deep"; depth: number; object: boolean }
  | { kind: "form"; fields: [string, string][] }
  | { kind: "multipart"; fields: [string, string][]; fault: MultipartFault }
  | { kind: "huge"; bytes: number; as: "json" | "form" | "raw" };

export type SvixSpec =
  | { kind: "none" }
  | { kind: "garbage"; id: string; timestamp: string; signature: string }
  | { kind: "signed"; id: string; skewSeconds: number; spoiled: boolean };

export interface Probe {
  route: string;
  method: string;
  path: string;
  body: BodySpec;
  /** "natural" sends the type that matches the body. */
  contentType: string | null | "natural";
  headers: Record<string, string>;
  svix: SvixSpec;
}

function buildBody(spec: BodySpec): { body?: string | Uint8Array; type?: string } {
  switch (spec.kind) {
    case "none":
      return {};
    case "text":
      return { body: spec.text, type: "text/plain" };
    case "csv":
      return { body: spec.text, type: "text/csv" };
    case "bytes":
      return { body: new Uint8Array(spec.bytes), type: "application/octet-stream" };
    case "json":
      return { body: JSON.stringify(spec.value) ?? "undefined", type: "application/json" };
    case "deep": {
      const [open, close] = spec.object ? ['{"email":', "}"] : ["[", "]"];
      return { body: `${open.repeat(spec.depth)}"deep@example.com"${close.repeat(spec.depth)}`, type: "application/json" };
    }
    case "form":
      return { body: new URLSearchParams(spec.fields).toString(), type: "application/x-www-form-urlencoded" };
    case "multipart": {
      const boundary = spec.fault === "wrong-boundary" ? "not-the-boundary" : BOUNDARY;
      const parts = spec.fields.map(
        ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      );
      const body = parts.join("") + (spec.fault === "unterminated" ? "" : `--${boundary}--\r\n`);
      return { body, type: spec.fault === "no-boundary" ? "multipart/form-data" : `multipart/form-data; boundary=${BOUNDARY}` };
    }
    case "huge": {
      if (spec.as === "raw") return { body: "x".repeat(spec.bytes), type: "text/plain" };
      const head = spec.as === "json" ? '{"email":"huge@example.com","pad":"' : "email=huge%40example.com&pad=";
      const tail = spec.as === "json" ? '"}' : "";
      const pad = "x".repeat(Math.max(0, spec.bytes - head.length - tail.length));
      return { body: head + pad + tail, type: spec.as === "json" ? "application/json" : "application/x-www-form-urlencoded" };
    }
  }
}

/** The request a probe describes; svix signatures are made now, over the body as sent. */
export async function requestFor(probe: Probe): Promise<{ headers: Headers; init: RequestInit }> {
  const headers = new Headers(probe.headers);
  const bodyless = ["GET", "HEAD"].includes(probe.method.toUpperCase());
  const { body, type } = bodyless ? {} : buildBody(probe.body);
  const contentType = probe.contentType === "natural" ? type : probe.contentType;
  if (contentType !== undefined && contentType !== null) headers.set("content-type", contentType);
  const svix = probe.svix;
  if (svix.kind === "garbage") {
    headers.set("svix-id", svix.id);
    headers.set("svix-timestamp", svix.timestamp);
    headers.set("svix-signature", svix.signature);
  } else if (svix.kind === "signed") {
    const timestamp = Math.floor(Date.now() / 1000) + svix.skewSeconds;
    const raw = typeof body === "string" ? body : new TextDecoder().decode(body ?? new Uint8Array());
    const signature = await signSvix(WEBHOOK_SECRET, svix.id, timestamp, raw);
    headers.set("svix-id", svix.id);
    headers.set("svix-timestamp", String(timestamp));
    // A valid signature after a junk entry, or a spoiled one next to an unknown version.
    headers.set("svix-signature", svix.spoiled ? `v1,${signature.slice(3, -4)}AAA= v2,x` : `v1,bm90IGl0 ${signature}`);
  }
  // The request's own answer is judged, not the page a redirect leads to: a sign-in that worked
  // redirects to a page this cookie-less client is refused, and that refusal is not the sign-in's.
  return { headers, init: { method: probe.method, headers, redirect: "manual", ...(body === undefined ? {} : { body }) } };
}

