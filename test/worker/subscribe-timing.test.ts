import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { MailJob } from "../../src/subscribers/outbox-sender";
import { type SubscriptionDeps, requestSubscription } from "../../src/subscribers/subscription";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { formsIn, headingOf } from "../support/worker/forms";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { linkIn, pathOf, postConfirm, signUp, signUpAndConfirm, subscribeJson, tokenOf, worker } from "../support/worker/requests";
import { testServices } from "../support/worker/services";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/**
 * The lifecycle with a clock the test sets, never rate-limited; its mail goes to the Worker's own
 * queue, whose consumer sends it through the real Resend SDK to the mock.
 */
function depsAt(clock: { now: number }): SubscriptionDeps {
  return {
    ...testServices({ limits: { signup: async () => true, signIn: async () => true } }),
    queue: env.DIGEST_QUEUE as Queue<MailJob>,
    clock: { now: () => clock.now },
  };
}

async function confirmationsTo(email: string) {
  return (await acceptedSendsTo(email)).filter((send) => send.body.subject === "Confirm your paperboy subscription");
}

beforeEach(() => resetMock());

describe("the 10-minute window for repeated sign-ups", () => {
  it("sends a pending address its confirmation again only once 10 minutes have passed", async () => {
    const email = uniqueEmail();
    const clock = { now: Date.now() };
    const deps = depsAt(clock);

    expect(await requestSubscription(deps, email)).toEqual({ kind: "accepted", suggestion: null });
    clock.now += 10 * MINUTE - 1;
    expect(await requestSubscription(deps, email)).toEqual({ kind: "accepted", suggestion: null });
    expect(await confirmationsTo(email)).toHaveLength(1);

    clock.now += 1;
    expect(await requestSubscription(deps, email)).toEqual({ kind: "accepted", suggestion: null });
    expect(await confirmationsTo(email)).toHaveLength(2);

    clock.now += 5 * MINUTE;
    await requestSubscription(deps, email);
    expect(await confirmationsTo(email)).toHaveLength(2);
  });

  it("through the Worker: a repeat within 10 minutes sends nothing, after 10 minutes sends a new link", async () => {
    const email = uniqueEmail();
    const firstLink = await signUp(email);
    expect((await subscribeJson(email)).status).toBe(202);
    expect(await confirmationsTo(email)).toHaveLength(1);

    const row = await subscriberRow(email);
    await env.DB.prepare("UPDATE subscribers SET confirmation_sent_at = ? WHERE id = ?")
      .bind(row!.confirmation_sent_at! - 10 * MINUTE - 1000, row!.id)
      .run();

    expect((await subscribeJson(email)).status).toBe(202);
    const confirmations = await confirmationsTo(email);
    expect(confirmations).toHaveLength(2);
    // A new key, so Resend does not swallow the resend as a duplicate of the first.
    expect(confirmations[1]!.idempotencyKey).not.toBe(confirmations[0]!.idempotencyKey);

    // The first link keeps working next to the second.
    expect((await postConfirm(tokenOf(firstLink))).status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("active");
  });

  it("sends an active subscriber no confirmation, however long ago they confirmed: only 'you're already subscribed', once per 10 minutes", async () => {
    const email = uniqueEmail();
    await signUpAndConfirm(email);
    const sentBefore = (await acceptedSendsTo(email)).length;
    const clock = { now: Date.now() + 365 * DAY };

    expect(await requestSubscription(depsAt(clock), email)).toEqual({ kind: "accepted", suggestion: null });
    clock.now += 10 * MINUTE - 1;
    expect(await requestSubscription(depsAt(clock), email)).toEqual({ kind: "accepted", suggestion: null });

    const sends = await acceptedSendsTo(email);
    expect(sends.slice(sentBefore).map((send) => send.body.subject)).toEqual(["You're already subscribed to paperboy"]);
    expect((await subscriberRow(email))!.status).toBe("active");
  });

  it("sends nothing to a bounced or complained address", async () => {
    for (const status of ["bounced", "complained"]) {
      const email = uniqueEmail(status);
      await signUp(email);
      await env.DB.prepare("UPDATE subscribers SET status = ?, confirmation_sent_at = 0 WHERE email_key = ?")
        .bind(status, email.toLowerCase())
        .run();
      expect((await subscribeJson(email)).status).toBe(202);
      expect(await confirmationsTo(email)).toHaveLength(1);
      expect((await subscriberRow(email))!.status).toBe(status);
    }
  });
});

describe("confirmation links expire after 7 days", () => {
  it("a link mailed 7 days ago less a minute still shows the page and confirms", async () => {
    const email = uniqueEmail();
    await requestSubscription(depsAt({ now: Date.now() - 7 * DAY + MINUTE }), email);
    const [confirmation] = await confirmationsTo(email);
    const link = linkIn(confirmation!.body.text, "/confirm");

    expect((await worker(pathOf(link))).status).toBe(200);
    expect((await postConfirm(tokenOf(link))).status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("active");
  });

  it("a link mailed 7 days ago gets a 400 page that says to sign up again, and confirms nobody", async () => {
    const email = uniqueEmail();
    await requestSubscription(depsAt({ now: Date.now() - 7 * DAY - 1000 }), email);
    const [confirmation] = await confirmationsTo(email);
    const link = linkIn(confirmation!.body.text, "/confirm");

    const page = await worker(pathOf(link), { headers: { accept: "text/html" } });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("This confirmation link has expired. Sign up again on the home page to get a fresh one.");
    // Nothing on the page acts on the link; it offers "manage by email" instead.
    expect(formsIn(html).map((form) => form.action)).toEqual(["/manage"]);

    const post = await postConfirm(tokenOf(link));
    expect(post.status).toBe(400);
    expect(headingOf(await post.text())).toBe("That didn't work");

    const api = await worker(pathOf(link), { headers: { accept: "application/json" } });
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({
      error: {
        code: "expired_token",
        message: "This confirmation link has expired. Sign up again on the home page to get a fresh one.",
      },
    });

    expect((await subscriberRow(email))!.status).toBe("pending");
    expect(await acceptedSendsTo(email)).toHaveLength(1);
  });

  it("signing up again after the link expired mails a fresh link that works", async () => {
    const email = uniqueEmail();
    await requestSubscription(depsAt({ now: Date.now() - 8 * DAY }), email);
    expect((await subscribeJson(email)).status).toBe(202);
    const confirmations = await confirmationsTo(email);
    expect(confirmations).toHaveLength(2);
    expect((await postConfirm(tokenOf(linkIn(confirmations[1]!.body.text, "/confirm")))).status).toBe(200);
  });
});
