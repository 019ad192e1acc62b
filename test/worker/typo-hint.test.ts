/** "Did you mean …?" for a likely typo in an address's domain: a hint, never a block. */
import { beforeEach, describe, expect, it } from "vitest";
import { suggestAddress } from "../../src/subscribers/address-typo";
import { subscriberRow } from "../support/worker/db";
import { BROWSER_FORM, formsIn, submitAsBrowser } from "../support/worker/forms";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { subscribeJson, worker } from "../support/worker/requests";

beforeEach(() => resetMock());

describe("suggestAddress", () => {
  it.each([
    ["reader2@gmial.con", "reader2@gmail.com"],
    ["Reader@GMAIL.CON", "Reader@gmail.com"],
    ["a@gmal.com", "a@gmail.com"],
    ["a@gamil.com", "a@gmail.com"],
    ["a@gmail.co", "a@gmail.com"],
    ["a@hotmial.com", "a@hotmail.com"],
    ["a@yaho.com", "a@yahoo.com"],
    ["a@outlok.com", "a@outlook.com"],
    ["a@iclod.com", "a@icloud.com"],
  ])("suggests %s → %s, keeping the part before @ as typed", (typed, suggested) => {
    expect(suggestAddress(typed)).toBe(suggested);
  });

  it.each([
    "a@gmail.com",
    "a@example.com",
    "a@paperboy.test",
    "a@ox.ac.uk",
    "a@cam.ac.uk",
    "a@gmx.net",
    "a@gmx.de",
    "a@protonmail.ch",
    "a@mac.com",
    "a@meta.com",
    "a@ibm.com",
    "a@hf.co",
    "a@tum.de",
    "a@email.com",
    "a@mail.de",
    "a@yahoo.fr",
    "a@tsinghua.edu.cn",
    "a@kaist.ac.kr",
    "a@mila.quebec",
    "a@xn--bcher-kva.de",
  ])("leaves %s alone", (address) => {
    expect(suggestAddress(address)).toBeNull();
  });
});

describe("a sign-up with a likely typo", () => {
  it("goes ahead as typed, and the JSON answer carries the suggestion", async () => {
    const typed = `reader-${crypto.randomUUID()}@gmial.con`;
    const response = await subscribeJson(typed);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "pending", suggestion: typed.replace("gmial.con", "gmail.com") });
    expect((await subscriberRow(typed))!.status).toBe("pending");
    expect(await acceptedSendsTo(typed)).toHaveLength(1);
  });

  it("asks 'did you mean …?' on the page, whose button signs up the corrected address instead", async () => {
    const typed = `reader-${crypto.randomUUID()}@gmial.con`;
    const corrected = typed.replace("gmial.con", "gmail.com");
    const answer = await worker("/subscribe", { method: "POST", headers: BROWSER_FORM, body: new URLSearchParams({ email: typed }).toString(), redirect: "manual" });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(`/subscribe?suggestion=${encodeURIComponent(corrected)}`);

    const html = await (await worker(answer.headers.get("location")!)).text();
    expect(html).toContain(`Did you mean <strong>${corrected}</strong>?`);
    const [form] = formsIn(html);
    expect(form).toMatchObject({ method: "post", action: "/subscribe", fields: { email: corrected, website: "" } });
    const { page } = await submitAsBrowser(form!);
    expect(await page.text()).not.toContain("Did you mean");
    expect((await subscriberRow(corrected))!.status).toBe("pending");
  });

  it("ignores a suggestion in the address bar that is not an address", async () => {
    const html = await (await worker("/subscribe?suggestion=%3Cscript%3E")).text();
    expect(html).not.toContain("Did you mean");
    expect(html).not.toContain("<script>");
  });
});
