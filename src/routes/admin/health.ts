import { Hono } from "hono";
import type { AppEnv } from "../../http/context";
import { allowOnly } from "../../http/guards";
import { collectHealth } from "../../operations/health";

/** `GET /admin/health`: the health panel's numbers as JSON (the last runs, the paper source's last answer, the configuration). */
export const adminHealthRoutes = new Hono<AppEnv>();

adminHealthRoutes.get("/health", async (c) => {
  const { db, config, clock } = c.var.services;
  return c.json(await collectHealth(db, config, clock.now()));
});

allowOnly(adminHealthRoutes, "/health", ["GET"]);
