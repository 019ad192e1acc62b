/**
 * Signing up with an address paperboy knows: the address gets the mail that fits its state, at most
 * once per 10 minutes, and the visitor sees the same answer whatever the state.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { formsIn, headingOf } from "../support/worker/forms";
import { expectManageMail } from "../support/worker/mail-checks";
import { acceptedSendsTo, resetMock } from "../support/worker/mock";
import { linkIn, oneClickUnsubscribe, pathOf, signUp, signUpAndConfirm, subscribeJson, worker } from "../support/worker/requests";

const CONFIRM = "Confirm your paperboy subscription";
const WELCOME = "Welcome to paperboy";
const ALREADY = "You're already subscribed to paperboy";
const ELEVEN_MINUTES = 11 * 60 * 1000;

beforeEach(() => resetMock());

const subjects = async (email: string) => (await acceptedSendsTo(email)).map((send) => send.body.subject);

/** Moves every mail asked for this address, and its last confirmation, 11 minutes into the past. */
async function elevenMinutesPass(email: string): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("UPDATE subscribers SET confirmation_sent_at = confirmation_sent_at - ? WHERE email_key = ?").bind(ELEVEN_MINUTES, email.toLowerCase()),
    env.DB.prepare("UPDATE mail_outbox SET created_at = created_at - ? WHERE subscriber_id = (SELECT id FROM subscribers WHERE email_key = ?)").bind(
      ELEVEN_MINUTES,
      email.toLowerCase(),
    ),
  ]);
}

describe("signing up again", () => {
  it("sends a pending address a fresh confirmation, at most once per 10 minutes", async () => {
    const email = uniqueEmail("pending");
    await signUp(email);
    expect((await subscribeJson(email)).status).toBe(202);
    expect(await subjects(email)).toEqual([CONFIRM]);

    await elevenMinutesPass(email);
    expect((await subscribeJson(email.toUpperCase())).status).toBe(202);
    const sends = await subjects(email);
    expect(sends).toEqual([CONFIRM, CONFIRM]);
  });

  it("tells an active subscriber they are subscribed already, with links to manage or leave, at most once per 10 minutes", async () => {
    const email = uniqueEmail("active");
    await signUpAndConfirm(email);
    for (let i = 0; i < 3; i++) expect((await subscribeJson(i === 1 ? email.toUpperCase() : email)).status).toBe(202);
    expect(await subjects(email)).toEqual([CONFIRM, WELCOME, ALREADY]);
    expect((await subscriberRow(email))!.status).toBe("active");

    const mail = (await acceptedSendsTo(email)).find((send) => send.body.subject === ALREADY)!;
    expectManageMail(mail, email);
    // The link opens the subscription's page, which knows where it stands.
    const page = await worker(pathOf(linkIn(mail.body.text, "/preferences")), { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(headingOf(html)).toBe("You're subscribed");
    expect(html).toContain(`${email.slice(0, 2)}•••@example.com`);
    expect(formsIn(html).map((form) => form.buttons)).toEqual([["Save my choices"], ["Unsubscribe"], ["Delete my data"]]);

    await elevenMinutesPass(email);
    await subscribeJson(email);
    expect(await subjects(email)).toEqual([CONFIRM, WELCOME, ALREADY, ALREADY]);
  });

  it("sends someone who unsubscribed the confirmation that brings them back", async () => {
    const email = uniqueEmail("left");
    await oneClickUnsubscribe(await signUpAndConfirm(email));
    await subscribeJson(email);
    expect(await subjects(email)).toEqual([CONFIRM, WELCOME, CONFIRM]);
  });

  it.each(["bounced", "complained", "undeliverable"])("sends a %s address nothing, however often it is signed up", async (status) => {
    const email = uniqueEmail(status);
    await signUpAndConfirm(email);
    await env.DB.prepare("UPDATE subscribers SET status = ? WHERE email_key = ?").bind(status, email.toLowerCase()).run();
    for (let i = 0; i < 2; i++) {
      await elevenMinutesPass(email);
      expect((await subscribeJson(email)).status).toBe(202);
    }
    expect(await subjects(email)).toEqual([CONFIRM, WELCOME]);
    expect((await subscriberRow(email))!.status).toBe(status);
  });
});
