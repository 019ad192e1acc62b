/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import * as v from "valibot";
import { findPublishedDigest, latestPublishedDigests, listArchive } from "../digest/archive";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { allowOnly } from "../http/guards";
import { calendarDay, validate } from "../http/validate";
import { ArchivePage } from "../views/archive-page";
import { ATOM_CONTENT_TYPE, atomFeed } from "../views/atom-feed";
import { DigestPage } from "../views/digest-page";

/** The ways into past digests besides the inbox: the archive, each digest's web page, the feed. */
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
  const { entries, total } = await listArchive(c.var.services.db, { page, pageSize: ARCHIVE_PAGE_SIZE });
  const pageCount = Math.max(1, Math.ceil(total / ARCHIVE_PAGE_SIZE));
  if (page > pageCount) throw new AppError(404, "not_found", `The archive has ${pageCount === 1 ? "one page" : `${pageCount} pages`}.`);
  return c.html(<ArchivePage entries={entries} page={page} pageCount={pageCount} />, 200, CACHEABLE);
});

const DigestParams = v.object({ date: calendarDay("A digest's address ends in its date, written like 2026-11-26.") });

archiveRoutes.get("/digest/:date", validate("param", DigestParams), async (c) => {
  const { db, config } = c.var.services;
  const digest = await findPublishedDigest(db, c.req.valid("param").date);
  if (!digest || digest.papers.length === 0)
    throw new AppError(404, "not_found", "There is no digest for this day. The archive lists every one that went out.");
  return c.html(<DigestPage digest={digest} siteUrl={config.publicBaseUrl} />, 200, CACHEABLE);
});

archiveRoutes.get("/feed.xml", async (c) => {
  const { db, config } = c.var.services;
  const body = atomFeed({ baseUrl: config.publicBaseUrl, digests: await latestPublishedDigests(db, FEED_ENTRIES) });
  return c.body(body, 200, { "Content-Type": ATOM_CONTENT_TYPE, ...CACHEABLE });
});

allowOnly(archiveRoutes, "/archive", ["GET"]);
allowOnly(archiveRoutes, "/digest/:date", ["GET"]);
allowOnly(archiveRoutes, "/feed.xml", ["GET"]);
