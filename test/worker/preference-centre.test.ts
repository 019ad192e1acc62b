// The reader's choices where a reader makes them: the sign-up form and API, the preference centre a
// link in every digest opens, the unsubscribe page's "weekly instead", and the CSV import. Bad
// choices are refused with a clear 4xx that names the field, and change nothing.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { findPreferences } from "../../src/subscribers/preference-store";
import { signToken } from "../../src/subscribers/tokens";
import { expectJsonError } from "../support/worker/answers";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { BROWSER_FORM, headingOf } from "../support/worker/forms";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { admin, linkIn, pathOf, signUpAndConfirm, tokenOf, worker } from "../support/worker/requests";
import { testConfig } from "../support/worker/services";

beforeEach(() => resetMock());

const choicesOf = async (email: string) => findPreferences(env.DB, (await subscriberRow(email))!.id);

/** Signs up and confirms; returns the preference centre's link from the welcome mail. */
async function preferencesLinkOf(email: string): Promise<string> {
  await signUpAndConfirm(email);
  const welcome = (await acceptedSendsTo(email)).find((send) => send.body.subject === "Welcome to paperboy")!;
  return linkIn(welcome.body.text, "/preferences");
}

function post(path: string, body: URLSearchParams | object, headers: Record<string, string> = BROWSER_FORM): Promise<Response> {
  const json = !(body instanceof URLSearchParams);
  return worker(path, {
    method: "POST",
    headers: json ? { "content-type": "application/json", accept: "application/json" } : headers,
    body: json ? JSON.stringify(body) : body.toString(),
    redirect: "manual",
  });
}

describe("at sign-up", () => {
  it("takes cadence, size, topics, time zone and hour from the API, and the zone from the connection when none is given", async () => {
    const chooser = uniqueEmail("api-choices");
    const response = await post("/subscribe", { email: chooser, cadence: "weekly", size: 5, topics: ["agents", "Mamba"], timezone: "asia/calcutta", hour: 8 });
    expect(response.status).toBe(202);
    expect(await choicesOf(chooser)).toEqual({ cadence: "weekly", size: 5, topics: ["agents", "mamba"], timeZone: "Asia/Kolkata", deliveryHour: 8 });

    const plain = uniqueEmail("api-plain");
    await worker("/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: plain }),
      cf: { timezone: "America/New_York" },
    } as RequestInit);
    expect(await choicesOf(plain)).toEqual({ cadence: "daily", size: 10, topics: [], timeZone: "America/New_York", deliveryHour: 7 });
  });

  it("offers daily or weekly on the form", async () => {
    const html = await (await worker("/")).text();
    expect(html).toMatch(/name="cadence" value="daily" checked/);
    expect(html).toContain('name="cadence" value="weekly"');
    const reader = uniqueEmail("form-weekly");
    const answer = await post("/subscribe", new URLSearchParams({ email: reader, cadence: "weekly" }));
    expect(answer.status).toBe(303);
    expect((await choicesOf(reader))?.cadence).toBe("weekly");
  });

  it.each([
    [{ cadence: "hourly" }, "invalid_cadence"],
    [{ size: 4 }, "invalid_size"],
    [{ topics: Array.from({ length: 11 }, (_, index) => `topic ${index}`) }, "invalid_topics"],
    [{ topics: ["x".repeat(41)] }, "invalid_topics"],
    [{ timezone: "Mars/Olympus" }, "invalid_timezone"],
    [{ hour: 11 }, "invalid_hour"],
  ])("refuses %j with a 422 naming the field, and signs nobody up", async (choice, code) => {
    const email = uniqueEmail("bad-choice");
    await expectJsonError(await post("/subscribe", { email, ...choice }), 422, code);
    expect(await subscriberRow(email)).toBeNull();
  });
});

describe("the preference centre", () => {
  it("is linked from the welcome mail, shows the choices without changing anything, and saves a change", async () => {
    const email = uniqueEmail("centre");
    const link = await preferencesLinkOf(email);
    const page = await worker(pathOf(link));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/name="cadence" value="daily" checked/);
    expect(html).toContain('<option value="UTC" selected="">UTC</option>');
    expect(html).toContain('<option value="7" selected="">07:00</option>');
    expect(html).toMatch(/A day(&#39;|')s papers reach you the next morning at 07:00/);

    const form = new URLSearchParams([
      ["cadence", "daily"],
      ["size", "5"],
      ["topics", ""],
      ["topics", "agents"],
      ["topics", "robotics"],
      ["topics", "mamba, state space models"],
      ["timezone", "Europe/Berlin"],
      ["hour", "7"],
    ]);
    const saved = await post(pathOf(link), form);
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`/preferences?token=${encodeURIComponent(tokenOf(link))}&done=saved`);
    expect(await choicesOf(email)).toEqual({ cadence: "daily", size: 5, topics: ["agents", "robotics", "mamba", "state space models"], timeZone: "Europe/Berlin", deliveryHour: 7 });
    const after = await (await worker(saved.headers.get("location")!)).text();
    expect(headingOf(after)).toBe("Your choices are saved");
    expect(after).toContain('value="mamba, state space models"');
    // Berlin at 07:00 is before a day's list is complete: the page says so, and what would be sooner.
    expect(after).toMatch(/a morning later, at 07:00\. From 08:00 they arrive a morning sooner\./);

    // Unticking every topic clears them.
    await post(pathOf(link), new URLSearchParams([["topics", ""], ["size", "5"]]));
    expect((await choicesOf(email))?.topics).toEqual([]);
  });

  it("answers a JSON change with what was saved, and refuses bad choices and bad links without changing anything", async () => {
    const email = uniqueEmail("centre-json");
    const link = await preferencesLinkOf(email);
    expect(await (await post(pathOf(link), { cadence: "weekly", hour: 9 })).json()).toMatchObject({ choices: { cadence: "weekly", deliveryHour: 9 } });
    const before = await choicesOf(email);

    await expectJsonError(await post(pathOf(link), { size: 30 }), 422, "invalid_size");
    const page = await post(pathOf(link), new URLSearchParams({ timezone: "Atlantis/Lost" }));
    expect(page.status).toBe(422);
    expect(await page.text()).toContain("know that time zone. Use an IANA name");
    const { signingSecret } = testConfig();
    const [, id, version] = tokenOf(link).split(".");
    const unsubscribeToken = await signToken(signingSecret, { purpose: "unsubscribe", subscriberId: Number(id), tokenVersion: Number(version), expiresAt: null });
    expect((await post(`/preferences?token=${unsubscribeToken}`, new URLSearchParams({ size: "3" }))).status).toBe(400);
    expect((await post("/preferences?token=p.1.1.0.forged", new URLSearchParams({ size: "3" }))).status).toBe(400);
    const foreign = await post(pathOf(link), new URLSearchParams({ size: "3" }), { ...BROWSER_FORM, "sec-fetch-site": "cross-site" });
    expect(foreign.status).toBe(403);
    expect(await choicesOf(email)).toEqual(before);
  });
});

describe("instead of leaving", () => {
  it("offers the weekly digest on a daily reader's unsubscribe page, after the unsubscribe button, in one POST", async () => {
    const email = uniqueEmail("leaving");
    const unsubscribeLink = await signUpAndConfirm(email);
    const html = await (await worker(pathOf(unsubscribeLink))).text();
    expect(html.indexOf(">Unsubscribe<")).toBeGreaterThan(0);
    expect(html.indexOf("Switch to weekly instead")).toBeGreaterThan(html.indexOf(">Unsubscribe<"));

    const switched = await post(`/preferences/weekly?token=${encodeURIComponent(tokenOf(unsubscribeLink))}`, new URLSearchParams());
    expect(switched.status).toBe(303);
    const page = await (await worker(switched.headers.get("location")!)).text();
    expect(headingOf(page)).toBe("You're on the weekly digest");
    expect(await choicesOf(email)).toMatchObject({ cadence: "weekly" });
    expect((await subscriberRow(email))?.status).toBe("active");
    expect(await (await worker(pathOf(unsubscribeLink))).text()).not.toContain("Switch to weekly instead");
  });
});

describe("the CSV import", () => {
  it("takes the choices in the export's columns, and rejects a row whose choice is not one, naming the column", async () => {
    const [weekly, plain, wrong] = [uniqueEmail("import-weekly"), uniqueEmail("import-plain"), uniqueEmail("import-wrong")];
    const csv = [
      "email,cadence,digest_size,topics,timezone,delivery_hour",
      `${weekly},weekly,5,agents; mamba,Asia/Tokyo,9`,
      `${plain},,,,,`,
      `${wrong},daily,7,,UTC,7`,
    ].join("\r\n");
    const response = await admin("/admin/subscribers/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    const report = await response.json<{ imported: number; rows: { line: number; result: string; reason?: string }[] }>();
    expect(report.imported).toBe(2);
    expect(report.rows.find((row) => row.line === 4)).toMatchObject({ result: "rejected", reason: expect.stringMatching(/^digest_size: Choose 3, 5, 10 or 20/) });
    expect(await choicesOf(weekly)).toEqual({ cadence: "weekly", size: 5, topics: ["agents", "mamba"], timeZone: "Asia/Tokyo", deliveryHour: 9 });
    expect(await choicesOf(plain)).toEqual({ cadence: "daily", size: 10, topics: [], timeZone: "UTC", deliveryHour: 7 });
    expect(await subscriberRow(wrong)).toBeNull();
  });
});
