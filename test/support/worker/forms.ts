/** Reading a page's forms and headings the way a browser sees them, and pressing their buttons. */
import { worker } from "./requests";

export interface HtmlForm {
  method: string;
  action: string;
  fields: Record<string, string>;
  buttons: string[];
}

/** The forms on a page, read the way a browser would submit them. */
export function formsIn(html: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs = "", inner = ""]) => ({
    method: (attribute(attrs, "method") ?? "get").toLowerCase(),
    action: attribute(attrs, "action") ?? "",
    fields: Object.fromEntries(
      [...inner.matchAll(/<input\b([^>]*)>/g)]
        .map(([, input = ""]) => [attribute(input, "name"), attribute(input, "value") ?? ""] as const)
        .filter((entry): entry is [string, string] => entry[0] !== undefined),
    ),
    buttons: [...inner.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map(([, text = ""]) => text.trim()),
  }));
}

/** Presses a form's button: POSTs its fields to its action as a browser would. */
export function submit(form: HtmlForm): Promise<Response> {
  if (form.method !== "post") throw new Error(`form method is ${form.method}`);
  return worker(form.action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams(form.fields).toString(),
  });
}

/** The text of the page's first <h1>. */
export function headingOf(html: string): string | undefined {
  const heading = /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1];
  return heading === undefined ? undefined : decodeEntities(heading.trim());
}

function attribute(attrs: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
