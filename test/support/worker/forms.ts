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
        // A browser sends a radio button or a checkbox only when it is checked.
        .filter(([, input = ""]) => !/\btype="(radio|checkbox)"/.test(input) || /\bchecked\b/.test(input))
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

/** The headers a browser sends with a form it submits from one of paperboy's pages (fetch metadata). */
export const BROWSER_FORM = {
  "content-type": "application/x-www-form-urlencoded",
  accept: "text/html,application/xhtml+xml",
  "sec-fetch-mode": "navigate",
  "sec-fetch-site": "same-origin",
};

/**
 * Presses a form's button the way a browser does: a POST form is sent with fetch metadata and its
 * 303 answer followed with a GET (Post/Redirect/Get); a GET form navigates to its action with its
 * fields as the query. `answer` is the POST's own answer, `page` where the browser ends up.
 */
export async function submitAsBrowser(form: HtmlForm): Promise<{ answer: Response; page: Response; url: string }> {
  const fields = new URLSearchParams(form.fields).toString();
  if (form.method === "get") {
    const url = `${form.action}?${fields}`;
    const page = await worker(url, { headers: { accept: BROWSER_FORM.accept } });
    return { answer: page, page, url };
  }
  const answer = await worker(form.action, { method: "POST", headers: BROWSER_FORM, body: fields, redirect: "manual" });
  const location = answer.headers.get("location");
  if (answer.status !== 303 || !location) return { answer, page: answer, url: form.action };
  return { answer, page: await worker(location, { headers: { accept: BROWSER_FORM.accept } }), url: location };
}
