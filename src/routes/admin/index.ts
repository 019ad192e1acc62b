import { Hono } from "hono";
import type { AppEnv } from "../../http/context";
import { adminBody } from "../../http/guards";
import { requireAdmin } from "../../http/require-admin";
import { sameOriginForm } from "../../http/security";
import { dashboardRoutes } from "./dashboard";
import { dashboardActionRoutes } from "./dashboard-actions";
import { adminDigestRoutes } from "./digests";
import { adminHealthRoutes } from "./health";
import { adminSubscriberRoutes } from "./subscribers";

/**
 * The operator's side. The dashboard (HTML pages and their form actions, behind a session cookie)
 * comes first and answers its own paths; every other path is a JSON endpoint behind
 * `Authorization: Bearer <ADMIN_TOKEN>` or the dashboard's session.
 */
export const adminRoutes = new Hono<AppEnv>();
adminRoutes.route("/", dashboardRoutes);
adminRoutes.route("/", dashboardActionRoutes);

const apiRoutes = new Hono<AppEnv>();
apiRoutes.use(async (c, next) => {
  c.set("api", true);
  await next();
});
apiRoutes.use(requireAdmin(), adminBody, sameOriginForm);
apiRoutes.route("/", adminDigestRoutes);
apiRoutes.route("/", adminSubscriberRoutes);
apiRoutes.route("/", adminHealthRoutes);

adminRoutes.route("/", apiRoutes);
