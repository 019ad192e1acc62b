import type { Context } from "hono";
import type { AppEnv } from "../../http/context";
import { AppError } from "../../http/errors";
import { queueConfirmations } from "../../subscribers/confirmations";
import { type ImportReport, importSubscribers } from "../../subscribers/import";

/** Imports the list a request carries and queues the new readers' confirmations (the API and the dashboard alike). */
export async function importUpload(c: Context<AppEnv>): Promise<ImportReport> {
  const { services } = c.var;
  let report: ImportReport;
  try {
    report = await importSubscribers(services, await importedText(c));
  } catch (error) {
    if (error instanceof RangeError) throw new AppError(413, "too_many_rows", error.message);
    throw error;
  }
  await queueConfirmations(services.queue, report.newSubscriberIds);
  return report;
}

/** The CSV of an import: the body itself (text/csv), or the file of a form upload (multipart/form-data, field "file"). */
async function importedText(c: Context<AppEnv>): Promise<string> {
  const type = c.req.header("content-type") ?? "";
  if (/^text\/(csv|plain)\b/i.test(type)) return c.req.text();
  if (!/^multipart\/form-data\b/i.test(type))
    throw new AppError(415, "unsupported_media_type", "Send the list as text/csv, or upload it as the file field \"file\" of a multipart/form-data form.");
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError(400, "invalid_form", "The upload could not be read.");
  }
  const file = form.file;
  if (!(file instanceof File)) throw new AppError(422, "invalid_file", "Upload the list as the file field \"file\".");
  return file.text();
}
