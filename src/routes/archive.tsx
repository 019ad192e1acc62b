/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import * as v from "valibot";
import { findPublishedDigest, latestPublishedDigests, listArchive } from "../digest/archive";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { allowOnly } from "../http/guards";
import { editionName, validate } from "../http/validate";
import { ArchivePage } from "../views/archive-page";
import { ATOM_CONTENT_TYPE, atomFeed } from "../views/atom-feed";
import { DigestPage } from "../views/digest-page";

/** The ways into past editions besides the inbox: the archive, each edition's web page, a feed per cadence. */
export const archiveRoutes = new Hono<AppEnv>();

const ARCHIVE_PAGE_SIZE = 20;
const FEED_ENTRIES = 20;

// Published digests never change, so pages may be cached briefly; new ones appear within minutes.
const CACHEABLE = { "Cache-Control": "public, max-age=300" };

/** `?page=` as a page number from 1; absent means 1, anything but a plain positive integer is a 400. */
const PAGE_NUMBER = "The page number must be a whole number from 1.";
const ArchiveQuery = v.object({
  page: v.optional(v.pipe(v.string(PAGE_NUMBER), v.regex(/^[1-9]\d{0,5}$/, PAGE_NUMBER), v.transform(Number)), "1"),
});

archiveRoutes.get("/archive", validate("query", ArchiveQuery), async (c) => {
  const { page } = c.req.valid("query");
  const { db, config } = c.var.services;
  const { entries, total } = await listArchive(db, { page, pageSize: ARCHIVE_PAGE_SIZE, size: config.digest.size });
  const pageCount = Math.max(1, Math.ceil(total / ARCHIVE_PAGE_SIZE));
  if (page > pageCount) throw new AppError(404, "not_found", `The archive has ${pageCount === 1 ? "one page" : `${pageCount} pages`}.`);
  return c.html(<ArchivePage entries={entries} page={page} pageCount={pageCount} />, 200, CACHEABLE);
});

const DigestParams = v.object({
  date: editionName("A digest's address ends in its day, written like 2026-11-26, or for a weekly one its week, like 2026-W48."),
});

archiveRoutes.get("/digest/:date", validate("param", DigestParams), async (c) => {
  const { db, config } = c.var.services;
  const digest = await findPublishedDigest(db, c.req.valid("param").date, config.digest.size);
  if (!digest || digest.papers.length === 0)
    throw new AppError(404, "not_found", "There is no digest for this day or week. The archive lists every one that went out.");
  return c.html(<DigestPage digest={digest} siteUrl={config.publicBaseUrl} />, 200, CACHEABLE);
});

for (const [path, cadence] of [["/feed.xml", "daily"], ["/feed/weekly.xml", "weekly"]] as const) {
  archiveRoutes.get(path, async (c) => {
    const { db, config } = c.var.services;
    const digests = await latestPublishedDigests(db, { limit: FEED_ENTRIES, size: config.digest.size, cadence });
    return c.body(atomFeed({ baseUrl: config.publicBaseUrl, path, cadence, digests }), 200, { "Content-Type": ATOM_CONTENT_TYPE, ...CACHEABLE });
  });
  allowOnly(archiveRoutes, path, ["GET"]);
}

allowOnly(archiveRoutes, "/archive", ["GET"]);
allowOnly(archiveRoutes, "/digest/:date", ["GET"]);
