import { app } from "./app";
import { queue, scheduled } from "./scheduled";

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
