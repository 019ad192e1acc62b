/**
 * The house rules, checked in `npm test` (`npm run lint:deps`). Imports run one way:
 *   entry → routes, jobs → http, views → domain → presentation → emails, lib
 * and emails/ (the React Email templates) import nothing from src/: src imports emails, never back.
 * and inside the domain: operations → digest, webhooks → subscribers, abuse → delivery, papers.
 * Type-only imports count too: a type is a dependency of the code that names it.
 */
const DOMAIN = "(papers|delivery|abuse|subscribers|webhooks|digest|operations)";
const ADAPTERS = "(http|views|routes|jobs|entry)";

/** A rule that forbids `from` to import `to`; `$1` in `to` stands for the folder `from` matched, so a folder may import itself. */
const layer = (name, comment, from, to, options = {}) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { path: to, ...(options.sameFolderOk ? { pathNot: "^src/$1/" } : {}) },
});

module.exports = {
  forbidden: [
    { name: "no-circular", comment: "Modules that import each other cannot be understood or changed one at a time.", severity: "error", from: {}, to: { circular: true } },
    layer("lib-is-the-floor", "src/lib holds plain helpers that know nothing of paperboy.", "^src/lib/", "^(src/(?!lib/)|emails/)"),
    layer("presentation-is-plain", "Wording and formatting know only the helpers and the templates' prop types, so emails and pages can share them.", "^src/presentation/", "^(src/(?!presentation/|lib/)|emails/(?!_components/digest-props))"),
    layer("templates-take-plain-props", "Templates import nothing from src/: they render the plain props they are given, and src imports them, never the other way round.", "^emails/", "^src/"),
    layer("domain-never-imports-adapters", "The domain never imports routes, views, HTTP, jobs or entry points.", `^src/${DOMAIN}/`, `^src/(${ADAPTERS}/|services\\.ts)`),
    layer("sources-and-mail-are-leaves", "papers/ and delivery/ serve the rest of the domain and import none of it.", "^src/(papers|delivery)/", `^src/${DOMAIN}/`, { sameFolderOk: true }),
    layer("abuse-stands-alone", "Sign-up screening knows nothing of subscribers, digests or webhooks.", "^src/abuse/", "^src/(subscribers|webhooks|digest|operations)/"),
    layer("subscribers-below-digest", "The digest uses the subscriber lifecycle, never the other way round.", "^src/subscribers/", "^src/(webhooks|digest|operations)/"),
    layer("webhooks-and-digest-apart", "Delivery events and the digest pipeline do not know each other.", "^src/(webhooks|digest)/", "^src/(webhooks|digest)/", { sameFolderOk: true }),
    layer("operations-on-top", "Operations read the domain; nothing in the domain reads them.", `^src/${DOMAIN}/`, "^src/operations/", { sameFolderOk: true }),
    layer("views-are-pages", "Pages render; they never route or run jobs.", "^src/views/", "^src/(routes|jobs|entry|http)/"),
    layer("adapters-below-entry", "Routes and jobs are mounted by the entry points, not the other way round.", "^src/(http|routes|jobs)/", "^src/entry/"),
    layer("production-code-only", "The Worker never imports tests, fixtures or benchmarks.", "^(src|emails)/", "^(test|bench)/"),
  ],
  options: {
    parser: "swc",
    // swc reads type-only imports as dependencies too (same 329 either way), without the TypeScript
    // compiler API that dependency-cruiser cannot use with TypeScript 7.
    tsPreCompilationDeps: false,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.d\\.ts$" },
  },
};
