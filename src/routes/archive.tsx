/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { findPublishedDigest, latestPublishedDigests, listArchive } from "../digest/archive";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { allowOnly } from "../http/guards";
import { isCalendarDay } from "../papers/day";
import { ArchivePage } from "../views/archive-page";
import { ATOM_CONTENT_TYPE, atomFeed } from "../views/atom-feed";
import { DigestPage } from "../views/digest-page";

/** The ways into past digests besides the inbox: the archive, each digest's web page, the feed. */
export const archiveRoutes = new Hono<AppEnv>();

export const ARCHIVE_PAGE_SIZE = 20;
export const FEED_ENTRIES = 20;

// Published digests never change, so pages may be cached briefly; new ones appear within minutes.
const CACHEABLE = { "Cache-Control": "public, max-age=300" };

archiveRoutes.get("/archive", async (c) => {
  const page = parsePage(c.req.query("page"));
  const { entries, total } = await listArchive(c.env.DB, { page, pageSize: ARCHIVE_PAGE_SIZE });
  const pageCount = Math.max(1, Math.ceil(total / ARCHIVE_PAGE_SIZE));
  if (page > pageCount) throw new AppError(404, "not_found", `The archive has ${pageCount === 1 ? "one page" : `${pageCount} pages`}.`);
  return c.html(<ArchivePage entries={entries} page={page} pageCount={pageCount} />, 200, CACHEABLE);
});

archiveRoutes.get("/digest/:date", async (c) => {
  const date = c.req.param("date");
  if (!isCalendarDay(date)) throw new AppError(400, "invalid_date", "A digest's address ends in its date, written like 2026-11-26.");
  const digest = await findPublishedDigest(c.env.DB, date);
  if (!digest || digest.papers.length === 0)
    throw new AppError(404, "not_found", "There is no digest for this day. The archive lists every one that went out.");
  return c.html(<DigestPage digest={digest} />, 200, CACHEABLE);
});

archiveRoutes.get("/feed.xml", async (c) => {
  const digests = await latestPublishedDigests(c.env.DB, FEED_ENTRIES);
  const body = atomFeed({ baseUrl: c.var.config.publicBaseUrl, digests });
  return c.body(body, 200, { "Content-Type": ATOM_CONTENT_TYPE, ...CACHEABLE });
});

allowOnly(archiveRoutes, "/archive", ["GET"]);
allowOnly(archiveRoutes, "/digest/:date", ["GET"]);
allowOnly(archiveRoutes, "/feed.xml", ["GET"]);

/** `?page=` as a page number from 1; absent means 1, anything but a plain positive integer is a 400. */
function parsePage(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^[1-9]\d{0,5}$/.test(value)) throw new AppError(400, "invalid_page", "The page number must be a whole number from 1.");
  return Number(value);
}
