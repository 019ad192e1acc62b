import { beforeEach, describe, expect, it, vi } from "vitest";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { headingOf } from "../support/worker/forms";
import { acceptedSendsTo, mockSends, resetMock } from "../support/worker/mock";
import { pathOf, signUpAndConfirm, subscribeForm, subscribeJson, worker } from "../support/worker/requests";

const UNAVAILABLE = "We couldn't send the confirmation email just now. Please try again in a minute.";

beforeEach(() => resetMock());

describe("when Resend cannot take the confirmation email", () => {
  it.each([
    ["answers 500", "500"],
    ["drops the connection", "drop"],
    ["answers 429", "429"],
  ] as const)("a JSON sign-up gets a clear 503 when Resend %s, and can retry at once", async (_name, fault) => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await resetMock({ scriptedFaults: [fault] });
    const email = uniqueEmail();

    const failed = await subscribeJson(email);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("60");
    expect(await failed.json()).toEqual({ error: { code: "mail_unavailable", message: UNAVAILABLE } });
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("confirmation email not sent"));
    errors.mockRestore();

    // The claim was released: the next attempt sends straight away, not in 10 minutes.
    expect((await subscriberRow(email))!.confirmation_sent_at).toBeNull();
    const retried = await subscribeJson(email);
    expect(retried.status).toBe(202);
    expect(await acceptedSendsTo(email)).toHaveLength(1);
  });

  it("a browser gets a 503 page that says to try again, and the retry works", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await resetMock({ scriptedFaults: ["500"] });
    const email = uniqueEmail();

    const failed = await subscribeForm(email);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await failed.text();
    expect(headingOf(html)).toBe("paperboy is unavailable");
    expect(html).toContain("Please try again in a minute.");
    vi.restoreAllMocks();

    const retried = await subscribeForm(email);
    expect(retried.status).toBe(200);
    expect(headingOf(await retried.text())).toBe("Check your inbox");
    expect((await mockSends()).map((send) => send.status)).toEqual([500, 200]);
  });

  it("someone who unsubscribed and signs up again stays unsubscribed when the mail fails, and can retry", async () => {
    const email = uniqueEmail();
    const link = await signUpAndConfirm(email);
    await worker(pathOf(link), { method: "POST", body: "List-Unsubscribe=One-Click" });
    const before = await subscriberRow(email);

    vi.spyOn(console, "error").mockImplementation(() => {});
    await resetMock({ scriptedFaults: ["500"] });
    expect((await subscribeJson(email)).status).toBe(503);
    vi.restoreAllMocks();
    expect(await subscriberRow(email)).toMatchObject({
      status: "unsubscribed",
      confirmation_sent_at: before!.confirmation_sent_at,
    });

    expect((await subscribeJson(email)).status).toBe(202);
    expect((await subscriberRow(email))!.status).toBe("pending");
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual(["Confirm your paperboy subscription"]);
  });

  it("a failed welcome email does not undo the confirmation", async () => {
    const email = uniqueEmail();
    const response = await subscribeJson(email);
    expect(response.status).toBe(202);
    const [confirmation] = await acceptedSendsTo(email);
    const token = /confirm\?token=([A-Za-z0-9._-]+)/.exec(confirmation!.body.text)![1]!;

    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await resetMock({ scriptedFaults: ["500"] });
    const confirmed = await worker("/confirm", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(confirmed.status).toBe(200);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("welcome email not sent"));
    vi.restoreAllMocks();
    expect((await subscriberRow(email))!.status).toBe("active");
  });
});
