import { app } from "./entry/fetch";
import { queue } from "./entry/queue";
import { scheduled } from "./entry/scheduled";

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
