import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/entry/fetch";
import { subscriberRow } from "../support/worker/db";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { drainQueue } from "../support/worker/queue";
import { testQueue, testServices } from "../support/worker/services";

const ORIGIN = "https://paperboy.test";

/** The Worker with a queue the test holds, so it can deliver what the import enqueued. */
function importCsv(csv: string, type = "text/csv", queue = testQueue()) {
  return app.request(
    `${ORIGIN}/admin/subscribers/import`,
    { method: "POST", headers: { authorization: "Bearer test-admin-token", "content-type": type }, body: csv },
    { ...env, DIGEST_QUEUE: queue },
  );
}

beforeEach(() => resetMock());

describe("a CSV exported from another newsletter tool", () => {
  it("reads quoted fields with commas, escaped quotes and line breaks, a byte-order mark and both line ends", async () => {
    const [first, second] = [`quoted-${crypto.randomUUID()}@example.com`, `plain-${crypto.randomUUID()}@example.com`];
    const csv = `\uFEFFemail,name,note\r\n"${first}","Doe, ""Jo""","line one\nline two"\n${second},x,y\r\n`;
    const response = await importCsv(csv);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { imported: number; rejected: number; rows: { input: string; result: string }[] };
    expect(report).toMatchObject({ imported: 2, rejected: 0 });
    expect(report.rows.map((row) => [row.input, row.result])).toEqual([
      [first, "imported"],
      [second, "imported"],
    ]);
    expect((await subscriberRow(first))?.status).toBe("pending");
  });
});

describe("files from spreadsheets and other tools", () => {
  const report = async (response: Response) => (await response.json()) as { imported: number; rejected: number; rows: { input: string; result: string }[] };

  it.each([
    ["semicolons", ";"],
    ["tabs", "\t"],
  ])("reads a file separated by %s, even when a name holds a comma", async (_name, separator) => {
    const tag = crypto.randomUUID().slice(0, 8);
    const emails = [`semi1-${tag}@example.com`, `semi2-${tag}@example.com`];
    const csv = [`${emails[0]}${separator}Smith, Ann`, `${emails[1]}${separator}Doe, Bob`].join("\n");
    const result = await report(await importCsv(csv));
    expect(result).toMatchObject({ imported: 2, rejected: 0 });
    expect(result.rows.map((row) => row.input)).toEqual(emails);
  });

  it("finds the address under Mailchimp's 'Email Address' header", async () => {
    const email = `mailchimp-${crypto.randomUUID()}@example.com`;
    const result = await report(await importCsv(`First Name;Email Address\nAnn;${email}\n`));
    expect(result).toMatchObject({ imported: 1, rejected: 0, rows: [{ input: email, result: "imported" }] });
  });

  it("takes the file of a multipart/form-data upload (field \"file\"), and says so when it is missing", async () => {
    const email = `upload-${crypto.randomUUID()}@example.com`;
    const form = new FormData();
    form.set("file", new File([`email,name\r\n${email},Ann\r\n`], "readers.csv", { type: "text/csv" }));
    const uploaded = await app.request(`${ORIGIN}/admin/subscribers/import`, { method: "POST", headers: { authorization: "Bearer test-admin-token" }, body: form }, { ...env, DIGEST_QUEUE: testQueue() });
    expect(uploaded.status).toBe(200);
    expect(await report(uploaded)).toMatchObject({ imported: 1, rows: [{ input: email, result: "imported" }] });

    const empty = new FormData();
    empty.set("list", "a@example.com");
    const missing = await app.request(`${ORIGIN}/admin/subscribers/import`, { method: "POST", headers: { authorization: "Bearer test-admin-token" }, body: empty }, env);
    expect(missing.status).toBe(422);
    expect(await missing.json()).toEqual({ error: { code: "invalid_file", message: 'Upload the list as the file field "file".' } });
  });

  it("tells imported readers that an operator imported them, not that they used the sign-up form", async () => {
    const email = `imported-${crypto.randomUUID()}@example.com`;
    const queue = testQueue();
    await importCsv(`${email}\n`, "text/csv", queue);
    await drainQueue(testServices({ queue }));
    const [mail] = await acceptedSendsTo(email);
    expect(mail!.body.subject).toBe("Confirm your paperboy subscription");
    expect(mail!.body.text).toContain("paperboy's operator imported this address");
    expect(mail!.body.text).not.toContain("sign-up form");
    expect(mail!.body.text).toContain(`https://paperboy.test/confirm?token=`);
  });
});

describe("POST /admin/subscribers/import", () => {
  it("imports new addresses as pending, reports every rejected row with its reason, and mails confirmations", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const fresh = [`new1-${tag}@example.com`, `new2-${tag}@example.org`];
    const active = `active-${tag}@example.com`;
    const bounced = `bounced-${tag}@example.com`;
    for (const [email, status] of [
      [active, "active"],
      [bounced, "bounced"],
    ])
      await env.DB.prepare("INSERT INTO subscribers (email, email_key, status, created_at, updated_at) VALUES (?, ?, ?, 1, 1)")
        .bind(email, email, status)
        .run();

    const csv = [
      "name,Email",
      `Ada,${fresh[0]}`,
      `"Grace, H.",${fresh[1]!.toUpperCase()}`,
      `Dup,${fresh[0]!.toUpperCase()}`,
      `Bad,not-an-address`,
      `Act,${active}`,
      `Bou,${bounced}`,
      "",
    ].join("\r\n");
    const queue = testQueue();
    const response = await importCsv(csv, "text/csv", queue);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { imported: number; rejected: number; rows: { line: number; result: string; reason?: string }[] };
    expect(report.imported).toBe(2);
    expect(report.rejected).toBe(4);
    expect(report.rows.map((row) => [row.line, row.result])).toEqual([
      [2, "imported"],
      [3, "imported"],
      [4, "rejected"],
      [5, "rejected"],
      [6, "rejected"],
      [7, "rejected"],
    ]);
    expect(report.rows[2]!.reason).toBe("listed twice in this file (first on line 2)");
    expect(report.rows[3]!.reason).toContain("Enter an address");
    expect(report.rows[4]!.reason).toBe("already on the list (active)");
    expect(report.rows[5]!.reason).toBe("suppressed: the address bounced");

    expect((await subscriberRow(fresh[0]!))?.status).toBe("pending");
    expect((await subscriberRow(active))?.status).toBe("active");
    // Confirmation emails go out through the queue, one per imported address, even if a message is delivered twice.
    expect(queue.pending.map((message) => message.body.kind)).toEqual(["confirm"]);
    const deps = testServices({ queue });
    await drainQueue(deps, { copies: () => 2 });
    // The local part is kept as first typed: the second address arrived in capitals.
    const second = (await subscriberRow(fresh[1]!))!.email;
    expect(second).toBe(`${fresh[1]!.split("@")[0]!.toUpperCase()}@example.org`);
    for (const email of [fresh[0]!, second]) {
      const sends = await acceptedSendsTo(email);
      expect(sends.map((send) => send.body.subject)).toEqual(["Confirm your paperboy subscription"]);
    }
    expect(await acceptedSendsTo(active)).toHaveLength(0);
  });

  it("takes the first column when there is no email header", async () => {
    const email = `plain-${crypto.randomUUID()}@example.com`;
    const report = (await (await importCsv(`${email}\n`)).json()) as { imported: number };
    expect(report.imported).toBe(1);
  });

  it("refuses other content types and lists over 10,000 rows, importing nothing", async () => {
    expect((await importCsv("a@example.com", "application/json")).status).toBe(415);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => `bulk${i}@example.com`).join("\n");
    const response = await importCsv(tooMany);
    expect(response.status).toBe(413);
    expect(await subscriberRow("bulk0@example.com")).toBeNull();
  });

  it("needs the admin token", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/admin/subscribers/import`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: "a@example.com",
    });
    expect(response.status).toBe(401);
  });
});
