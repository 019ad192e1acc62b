import { DoIUseEmail } from "doiuse-email";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { AlreadySubscribed } from "../../emails/already-subscribed";
import { ConfirmSubscription } from "../../emails/confirm-subscription";
import { ManageLink } from "../../emails/manage-link";
import { theme } from "../../emails/_components/theme";
import { Welcome } from "../../emails/welcome";
import { renderDigest } from "../../src/digest/render";
import { PLACEHOLDERS, renderEmail } from "../../src/presentation/render-email";
import { samplePapers } from "../../src/papers/sample-papers";
import { longPapers } from "../fixtures/long-papers";

const config = { publicBaseUrl: "https://paperboy.test", senderPostalAddress: "paperboy, 1 Test Street, 12345 Testville" };

/**
 * Gmail (all apps), Outlook for Windows and on the web, Apple Mail and Yahoo (all apps), as
 * caniemail names them. doiuse-email's list of clients predates Outlook.com, though its data
 * has it, so that one is added by hand.
 */
const CLIENT_GLOBS = ["gmail.*", "outlook.windows", "apple-mail.*", "yahoo.*"];
const EXTRA_CLIENTS = ["outlook.outlook-com"];

/**
 * Every HTML document has a `<body>`, and caniemail marks the element as unsupported by Yahoo's
 * apps, which replace it with a `<div>`. No email can avoid that; the layout repeats the
 * background on its wrapper table so nothing depends on `<body>` (checked below).
 */
const UNAVOIDABLE = new Set(["`<body> element` is not supported by `yahoo.ios`", "`<body> element` is not supported by `yahoo.android`"]);

/**
 * The preheader's `display:none`, chosen over hiding text by font size or colour, which spam filters
 * score (spam-score.test.ts). Gmail's mobile webmail shows it as the first line instead, a readable
 * sentence; checked below that nothing else depends on `display:none`.
 */
const PREHEADER_TRADE_OFF = "`display:none` is not supported by `gmail.mobile-webmail`";

function caniemail(html: string) {
  const checker = new DoIUseEmail({ emailClients: CLIENT_GLOBS });
  checker.emailClients.push(...(EXTRA_CLIENTS as typeof checker.emailClients));
  const result = checker.check(html);
  const errors = [...new Set(result.success ? [] : result.errors)];
  return { errors: errors.filter((error) => !UNAVOIDABLE.has(error) && error !== PREHEADER_TRADE_OFF), warnings: [...new Set(result.warnings)] };
}

const emails: [name: string, render: () => Promise<{ html: string }>][] = [
  ["DailyDigest (10 sample papers)", () => renderDigest({ edition: "2024-03-17", papers: samplePapers().slice(0, 10), config })],
  [
    "DailyDigest (30 longest abstracts, sample notice)",
    () => renderDigest({ edition: "2026-11-26", papers: longPapers.slice(0, 30), config, sample: true }),
  ],
  ["DailyDigest as a weekly edition (20 papers)", () => renderDigest({ edition: "2026-W48", papers: longPapers.slice(0, 20), config })],
  [
    "ConfirmSubscription",
    () =>
      renderEmail(
        "Confirm",
        createElement(ConfirmSubscription, { email: "reader@example.com", confirmUrl: PLACEHOLDERS.actionUrl, postalAddress: config.senderPostalAddress }),
      ),
  ],
  [
    "ConfirmSubscription (imported)",
    () =>
      renderEmail(
        "Confirm",
        createElement(ConfirmSubscription, { email: "reader@example.com", confirmUrl: PLACEHOLDERS.actionUrl, postalAddress: config.senderPostalAddress, origin: "import" }),
      ),
  ],
  ...[AlreadySubscribed, ManageLink].map(
    (template): [string, () => Promise<{ html: string }>] =>
      [
        template.name,
        () =>
          renderEmail(
            template.name,
            createElement(template, {
              email: "reader@example.com",
              manageUrl: PLACEHOLDERS.actionUrl,
              unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
              postalAddress: config.senderPostalAddress,
            }),
          ),
      ],
  ),
  [
    "Welcome",
    () =>
      renderEmail(
        "Welcome",
        createElement(Welcome, {
          siteUrl: config.publicBaseUrl,
          unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
          preferencesUrl: PLACEHOLDERS.preferencesUrl,
          postalAddress: config.senderPostalAddress,
        }),
      ),
  ],
];

describe.each(emails)("%s", (_name, render) => {
  it("uses nothing caniemail reports as unsupported in Gmail, Outlook (Windows, web), Apple Mail or Yahoo", async () => {
    const { html } = await render();
    const { errors, warnings } = caniemail(html);
    expect(errors).toEqual([]);
    // Partial support is fine (e.g. `margin` with negative values, which we don't use), but the
    // check must have looked at something.
    expect(warnings.length).toBeGreaterThan(0);
  });

  it("hides nothing with display:none but the preheader, words that read well where it shows", async () => {
    const { html } = await render();
    const hidden = [...html.matchAll(/<div style="display:none[^"]*"([^>]*)>([^<]*)/g)];
    expect(hidden).toHaveLength(1);
    expect(hidden[0]![1]).toContain('data-skip-in-text="true"');
    expect(hidden[0]![2]).toMatch(/^[\p{L}\p{N}][^\u00a0\u200b-\u200f\ufeff]{19,}$/u); // words, not the filler after them
    expect(html.match(/display:none/g)).toHaveLength(1);
  });

  it("depends on no <body> styles, stylesheets, remote fonts, scripts or images", async () => {
    const { html } = await render();
    expect(html).toMatch(new RegExp(`<table role="presentation"[^>]*style="background-color:${theme.background}"`));
    expect(html).not.toMatch(/<style|<link|@import|@font-face|<script|<img|target=/i);
    expect(html).toContain('<html dir="ltr" lang="en">');
    expect(html).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
  });
});

describe("the caniemail check", () => {
  it("reports what those clients drop, e.g. a dark-mode style block and hidden-preheader tricks", () => {
    const darkBlock = `<html><head><style>@media (prefers-color-scheme: dark) { .card { background-color: #0d1117 !important; } }</style></head><body><p>Hi</p></body></html>`;
    expect(caniemail(darkBlock).errors).toEqual(
      expect.arrayContaining(["`@media` is not supported by `gmail.mobile-webmail`", "`@media` is not supported by `outlook.windows`"]),
    );
    const preheader = `<div style="display:none;opacity:0;overflow:hidden">Preview</div>`;
    expect(caniemail(preheader).errors).toEqual(
      expect.arrayContaining(["`opacity` is not supported by `yahoo.desktop-webmail`", "`overflow` is not supported by `outlook.windows`"]),
    );
    expect(caniemail(`<a href="https://example.com" target="_blank">x</a>`).errors).toContain(
      "`target attribute` is not supported by `outlook.outlook-com`",
    );
  });
});
