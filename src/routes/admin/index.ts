import { Hono } from "hono";
import type { AppEnv } from "../../http/context";
import { adminBody } from "../../http/guards";
import { requireAdmin } from "../../http/require-admin";
import { sameOriginForm } from "../../http/security";
import { adminDigestRoutes } from "./digests";
import { adminSubscriberRoutes } from "./subscribers";

/** Operator endpoints, behind `Authorization: Bearer <ADMIN_TOKEN>`. Every answer is JSON. */
export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use(async (c, next) => {
  c.set("api", true);
  await next();
});
adminRoutes.use(requireAdmin(), adminBody, sameOriginForm);

adminRoutes.route("/", adminDigestRoutes);
adminRoutes.route("/", adminSubscriberRoutes);
