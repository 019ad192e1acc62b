/**
 * "Delete my data" asks once and then says what remains. The owner of a deleted address can come
 * back (a sign-up sends a confirmation; confirming ends the erasure); a bounce or a complaint never
 * ends on its own; the operator can lift a suppression.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { addressHash } from "../../src/subscribers/privacy";
import { outboxSettled, subscriberRow, uniqueEmail } from "../support/worker/db";
import { formsIn, headingOf, submitAsBrowser } from "../support/worker/forms";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { admin, pathOf, postConfirm, signUp, signUpAndConfirm, subscribeJson, tokenOf, worker } from "../support/worker/requests";
import { testConfig } from "../support/worker/services";

beforeEach(() => resetMock());

const CONFIRM = "Confirm your paperboy subscription";
const subjects = async (email: string) => (await acceptedSendsTo(email)).map((send) => send.body.subject);
const suppression = async (email: string) =>
  env.DB.prepare("SELECT reason FROM suppressions WHERE email_hash = ?").bind(await addressHash(testConfig().signingSecret, email.toLowerCase())).first<{ reason: string }>();

/** Presses "Delete my data" on the unsubscribe page, then "Yes" on the question it opens; returns the last page's text. */
async function deleteMyData(unsubscribeLink: string): Promise<{ question: string; result: string; url: string }> {
  const page = await (await worker(pathOf(unsubscribeLink), { headers: { accept: "text/html" } })).text();
  const ask = await submitAsBrowser(formsIn(page).find((form) => form.buttons[0] === "Delete my data")!);
  const question = await ask.page.text();
  const yes = await submitAsBrowser(formsIn(question)[0]!);
  expect(yes.answer.status).toBe(303);
  return { question, result: (await yes.page.text()).replace(/<[^>]+>/g, ""), url: yes.url };
}

describe("Delete my data", () => {
  it("asks once (GET changes nothing), then erases and tells the truth about what remains", async () => {
    const email = uniqueEmail("forget");
    const link = await signUpAndConfirm(email);
    const page = await (await worker(pathOf(link), { headers: { accept: "text/html" } })).text();
    const button = formsIn(page).find((form) => form.buttons[0] === "Delete my data")!;
    expect(button.method).toBe("get");
    const ask = await worker(`${button.action}?${new URLSearchParams(button.fields)}`, { headers: { accept: "text/html" } });
    const askHtml = await ask.text();
    expect(headingOf(askHtml)).toBe("Delete your data?");
    expect(askHtml).toContain("This removes your address, <strong>");
    expect(askHtml).toContain("and its history from paperboy. Continue?");
    expect(formsIn(askHtml).map((form) => [form.method, form.buttons])).toEqual([["post", ["Yes, delete my data"]]]);
    expect((await subscriberRow(email))!.status).toBe("active");

    const { result, url } = await deleteMyData(link);
    expect(url).toBe("/unsubscribe/deleted");
    expect(result).toContain("What remains is a one-way fingerprint of the address");
    expect(result).toContain("if you sign up again one day, we email you a confirmation link first");
    expect(await subscriberRow(email)).toBeNull();
    expect(await suppression(email)).toEqual({ reason: "deleted_by_subscriber" });
    // The reload of the result page still works; the link itself is now a dead end that offers a new one.
    expect((await worker(url)).status).toBe(200);
    expect((await worker(pathOf(link))).status).toBe(400);
  });

  it("says an address that complained stays suppressed for good", async () => {
    const email = uniqueEmail("complainer");
    const link = await signUpAndConfirm(email);
    await env.DB.prepare("UPDATE subscribers SET status = 'complained' WHERE email_key = ?").bind(email.toLowerCase()).run();
    const { result, url } = await deleteMyData(link);
    expect(url).toBe("/unsubscribe/deleted?for=good");
    expect(result).toContain("paperboy will never mail it again");
    expect(await suppression(email)).toEqual({ reason: "complained" });
  });
});

describe("coming back after deleting", () => {
  it("a sign-up sends one confirmation; confirming proves the mailbox and ends the erasure", async () => {
    const email = uniqueEmail("returning");
    await deleteMyData(await signUpAndConfirm(email));
    expect(await subscribeJson(email)).toHaveProperty("status", 202);
    await subscribeJson(email);
    expect(await subjects(email)).toEqual([CONFIRM, "Welcome to paperboy", CONFIRM]);
    // Until confirmed, the erasure stands: the operator's import still refuses the address.
    expect(await suppression(email)).toEqual({ reason: "deleted_by_subscriber" });

    const confirmation = (await acceptedSendsTo(email)).at(-1)!;
    const token = tokenOf(/https:\/\/paperboy\.test\/confirm\?token=[^\s"]+/.exec(confirmation.body.text)![0]);
    expect((await postConfirm(token)).status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("active");
    expect(await suppression(email)).toBeNull();
  });

  it("gets its confirmation although the erased mail's id is free again (a new mail never reuses an old batch's key)", async () => {
    const email = uniqueEmail("quick-return");
    await outboxSettled(); // so its confirmation goes out alone, in a batch keyed by its id only
    await signUp(email); // the newest mail: its id is the highest
    expect((await admin(`/admin/subscribers/${encodeURIComponent(email)}`, { method: "DELETE" })).status).toBe(200);
    await subscribeJson(email);
    expect(await subjects(email)).toEqual([CONFIRM, CONFIRM]);
  });

  it("never for a complaint: a complained address that was erased gets nothing, however often it is signed up", async () => {
    const email = uniqueEmail("complained-erased");
    const link = await signUpAndConfirm(email);
    await env.DB.prepare("UPDATE subscribers SET status = 'complained' WHERE email_key = ?").bind(email.toLowerCase()).run();
    await deleteMyData(link);
    expect((await subscribeJson(email)).status).toBe(202);
    expect(await subjects(email)).toEqual([CONFIRM, "Welcome to paperboy"]);
    expect(await subscriberRow(email)).toBeNull();
  });
});

describe("DELETE /admin/suppressions/:email", () => {
  it("lifts an erasure (logged, without the address), after which a sign-up works like any other", async () => {
    const email = uniqueEmail("lifted");
    const link = await signUpAndConfirm(email);
    await env.DB.prepare("UPDATE subscribers SET status = 'complained' WHERE email_key = ?").bind(email.toLowerCase()).run();
    await deleteMyData(link);
    const lookup = await admin(`/admin/subscribers/${encodeURIComponent(email)}`);
    expect(lookup.status).toBe(404);
    expect(((await lookup.json()) as { error: { message: string } }).error.message).toContain("it was erased (complained) and stays suppressed");

    const logs = vi.spyOn(console, "log");
    const response = await admin(`/admin/suppressions/${encodeURIComponent(email)}`, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ email, liftedErasure: "complained", liftedStatus: null, status: null });
    const lines = logs.mock.calls.map(([line]) => String(line));
    logs.mockRestore();
    expect(lines.filter((line) => line.includes("suppression lifted"))).toHaveLength(1);
    // Nor the request's own line, whose path held the address.
    expect(lines.filter((line) => line.includes('"request"'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes(email) || line.includes(encodeURIComponent(email)))).toEqual([]);

    await subscribeJson(email);
    expect((await subjects(email)).at(-1)).toBe(CONFIRM);
    expect((await admin(`/admin/suppressions/${encodeURIComponent(email)}`, { method: "DELETE" })).status).toBe(404);
  });

  it("turns a bounced subscriber into an unsubscribed one, free to sign up and confirm again", async () => {
    const email = uniqueEmail("bounced");
    await signUp(email);
    await env.DB.prepare("UPDATE subscribers SET status = 'bounced', transient_bounces = 3 WHERE email_key = ?").bind(email.toLowerCase()).run();
    const response = await admin(`/admin/suppressions/${encodeURIComponent(email)}`, { method: "DELETE" });
    expect(await response.json()).toEqual({ email, liftedErasure: null, liftedStatus: "bounced", status: "unsubscribed" });
    expect(await subscriberRow(email)).toMatchObject({ status: "unsubscribed" });
    await subscribeJson(email);
    expect(await subjects(email)).toEqual([CONFIRM, CONFIRM]);
  });

  it("answers 404 for an address that is not suppressed, 422 for no address, 401 without the token, and changes nothing", async () => {
    const email = uniqueEmail("fine");
    await signUpAndConfirm(email);
    const before = await subscriberRow(email);
    expect((await admin(`/admin/suppressions/${encodeURIComponent(email)}`, { method: "DELETE" })).status).toBe(404);
    expect((await admin("/admin/suppressions/not-an-address", { method: "DELETE" })).status).toBe(422);
    expect((await worker(`/admin/suppressions/${encodeURIComponent(email)}`, { method: "DELETE" })).status).toBe(401);
    expect(await subscriberRow(email)).toEqual(before);
  });
});
