import { beforeEach, describe, expect, it } from "vitest";
import { verifyToken } from "../../src/subscribers/tokens";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { formsIn, headingOf, submit } from "../support/worker/forms";
import { acceptedSendsTo, mockSends, resetMock } from "../support/worker/mock";
import { linkIn, MAIL_FROM, ORIGIN, pathOf, postConfirm, signUp, signUpAndConfirm, subscribeForm, subscribeJson, tokenOf, worker } from "../support/worker/requests";

const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
const CONFIRM_SUBJECT = "Confirm your paperboy subscription";
const WELCOME_SUBJECT = "Welcome to paperboy";

beforeEach(() => resetMock());

describe("signing up", () => {
  it("answers a JSON sign-up with 202 pending and sends Resend exactly one confirmation email", async () => {
    const email = uniqueEmail();
    const response = await subscribeJson(email);

    expect(response.status).toBe(202);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: "pending" });

    const sends = await mockSends();
    expect(sends).toHaveLength(1);
    const [send] = sends;
    const row = await subscriberRow(email);
    expect(send!.path).toBe("/emails/batch");
    expect(send!.status).toBe(200);
    expect(send!.authorization).toBe("Bearer re_test_key");
    expect(send!.idempotencyKey).toMatch(/^mail\/[0-9a-f]{32}$/); // derived from the batch's mails
    expect(Object.keys(send!.body).sort()).toEqual(["from", "html", "subject", "text", "to"]);
    expect(send!.body.from).toBe(MAIL_FROM);
    expect(send!.body.to).toEqual([email]);
    expect(send!.body.subject).toBe(CONFIRM_SUBJECT);

    const link = linkIn(send!.body.html, "/confirm");
    expect(send!.body.html).toContain(`href="${link}"`);
    expect(send!.body.text).toContain(link);
    expect(send!.body.html).toContain(email);
    expect(send!.body.text).toContain(email);
    expect(send!.body.html).not.toContain("paperboy.invalid"); // no placeholder left behind

    const verified = await verifyToken(SIGNING_SECRET, tokenOf(link), "confirm", Date.now());
    expect(verified).toMatchObject({ ok: true, claims: { purpose: "confirm", subscriberId: row!.id, tokenVersion: 1 } });
    if (verified.ok) {
      const sevenDays = 7 * 24 * 60 * 60 * 1000;
      expect(verified.claims.expiresAt! - row!.confirmation_sent_at!).toBeGreaterThanOrEqual(sevenDays);
      expect(verified.claims.expiresAt! - row!.confirmation_sent_at!).toBeLessThan(sevenDays + 1000);
    }

    expect(row).toMatchObject({ email, email_key: email.toLowerCase(), status: "pending", confirmed_at: null });
  });

  it("answers a form sign-up with a 'check your inbox' page and sends the same kind of email", async () => {
    const email = uniqueEmail();
    const response = await subscribeForm(email);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(headingOf(await response.text())).toBe("Check your inbox");
    const sends = await acceptedSendsTo(email);
    expect(sends.map((send) => send.body.subject)).toEqual([CONFIRM_SUBJECT]);
  });

  it("stores an IDN address with a punycode domain and mails it there", async () => {
    const local = `Mueller-${crypto.randomUUID()}`;
    const response = await subscribeJson(`  ${local}@Bücher.de `);
    expect(response.status).toBe(202);

    const stored = `${local}@xn--bcher-kva.de`;
    expect(await subscriberRow(stored)).toMatchObject({ email: stored, status: "pending" });
    expect((await acceptedSendsTo(stored)).map((send) => send.body.to)).toEqual([[stored]]);
  });

  it("treats the same address in another case as the same subscriber", async () => {
    const email = uniqueEmail();
    await subscribeJson(email);
    const response = await subscribeJson(email.toUpperCase());
    expect(response.status).toBe(202);
    expect((await mockSends()).length).toBe(1); // the second sign-up is inside the 10-minute window
    expect(await subscriberRow(email.toUpperCase())).toMatchObject({ email });
  });

  it("never puts anything the visitor typed but the address into the email", async () => {
    const email = uniqueEmail();
    const response = await worker("/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, name: "<b>Click here: https://evil.example</b>", subject: "Free money" }),
    });
    expect(response.status).toBe(202);
    const [send] = await acceptedSendsTo(email);
    const everything = JSON.stringify(send!.body);
    expect(everything).not.toContain("evil.example");
    expect(everything).not.toContain("Free money");
  });
});

describe("the full lifecycle through the Worker", () => {
  it("subscribe, confirm with a POST, welcome, unsubscribe in one click, resubscribe", async () => {
    const email = uniqueEmail();
    const confirmLink = await signUp(email);

    // A scanner following the link (GET) sees a page with one button and confirms nobody.
    const confirmPage = await worker(pathOf(confirmLink), { headers: { accept: "text/html" } });
    expect(confirmPage.status).toBe(200);
    const confirmHtml = await confirmPage.text();
    const confirmForms = formsIn(confirmHtml);
    expect(confirmForms).toEqual([
      { method: "post", action: "/confirm", fields: { token: tokenOf(confirmLink) }, buttons: ["Confirm my subscription"] },
    ]);
    await worker(pathOf(confirmLink)); // a second scanner visit
    expect((await subscriberRow(email))!.status).toBe("pending");
    expect((await mockSends()).map((send) => send.body.subject)).toEqual([CONFIRM_SUBJECT]);

    // The button activates and sends one welcome email.
    const confirmed = await submit(confirmForms[0]!);
    expect(confirmed.status).toBe(200);
    expect(headingOf(await confirmed.text())).toBe("You're subscribed");
    const active = await subscriberRow(email);
    expect(active).toMatchObject({ status: "active" });
    expect(active!.confirmed_at).toBeGreaterThan(0);

    const welcomes = (await mockSends()).filter((send) => send.body.subject === WELCOME_SUBJECT);
    expect(welcomes).toHaveLength(1);
    const welcome = welcomes[0]!;
    const unsubscribeLink = linkIn(welcome.body.html, "/unsubscribe");
    expect(welcome.status).toBe(200);
    expect(welcome.path).toBe("/emails/batch");
    expect(welcome.idempotencyKey).toMatch(/^mail\/[0-9a-f]{32}$/);
    expect(welcome.body).toEqual({
      from: MAIL_FROM,
      to: [email],
      subject: WELCOME_SUBJECT,
      html: expect.stringContaining(`href="${unsubscribeLink}"`),
      text: expect.stringContaining(unsubscribeLink),
      headers: {
        "List-Id": "paperboy daily <daily.paperboy.test>",
        "List-Unsubscribe": `<${unsubscribeLink}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });
    expect(welcome.body.headers!["List-Unsubscribe"]).toMatch(
      /^<https:\/\/paperboy\.test\/unsubscribe\?token=u\.\d+\.\d+\.0\.[A-Za-z0-9_-]{43}>$/,
    );
    // The unsubscribe link sits in the footer: after the body copy, next to the postal address.
    const footer = welcome.body.html.slice(welcome.body.html.indexOf("<hr"));
    expect(footer).toContain(unsubscribeLink);
    expect(footer).toContain("paperboy, 1 Test Street, 12345 Testville");

    // The unsubscribe page shows one "Unsubscribe" button (then weekly instead, and "Delete my data") and changes nothing by itself.
    const unsubscribePage = await worker(pathOf(unsubscribeLink), { headers: { accept: "text/html" } });
    expect(unsubscribePage.status).toBe(200);
    const unsubscribeForms = formsIn(await unsubscribePage.text());
    expect(unsubscribeForms.map((form) => form.buttons)).toEqual([["Unsubscribe"], ["Switch to weekly instead"], ["Delete my data"]]);
    expect(unsubscribeForms[0]!.method).toBe("post");
    expect((await subscriberRow(email))!.status).toBe("active");

    // Its button unsubscribes at once and offers to resubscribe.
    const unsubscribed = await submit(unsubscribeForms[0]!);
    expect(unsubscribed.status).toBe(200);
    const unsubscribedHtml = await unsubscribed.text();
    expect(headingOf(unsubscribedHtml)).toBe("You're unsubscribed");
    expect((await subscriberRow(email))!.status).toBe("unsubscribed");
    const resubscribeForms = formsIn(unsubscribedHtml);
    expect(resubscribeForms.map((form) => form.buttons)).toEqual([["Subscribe again"], ["Delete my data"]]);

    const resubscribed = await submit(resubscribeForms[0]!);
    expect(resubscribed.status).toBe(200);
    expect(headingOf(await resubscribed.text())).toBe("Welcome back");
    expect((await subscriberRow(email))!.status).toBe("active");
    // Resubscribing is not a new sign-up: no further mail.
    expect((await mockSends()).map((send) => send.body.subject)).toEqual([CONFIRM_SUBJECT, WELCOME_SUBJECT]);
  });

  it.each([
    ["urlencoded", () => ({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" })],
    [
      "multipart",
      () => {
        const form = new FormData();
        form.set("List-Unsubscribe", "One-Click");
        return { body: form };
      },
    ],
  ])("honours an RFC 8058 one-click unsubscribe sent as %s", async (_kind, makeBody) => {
    const email = uniqueEmail();
    const unsubscribeLink = await signUpAndConfirm(email);

    const response = await worker(pathOf(unsubscribeLink), { method: "POST", redirect: "manual", ...makeBody() });

    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("location")).toBeNull();
    const row = await subscriberRow(email);
    expect(row!.status).toBe("unsubscribed");
    expect(row!.unsubscribed_at).toBeGreaterThan(0);
  });

  it("answers a repeated one-click unsubscribe with 200 and leaves the address unsubscribed", async () => {
    const email = uniqueEmail();
    const unsubscribeLink = await signUpAndConfirm(email);
    const oneClick = () =>
      worker(pathOf(unsubscribeLink), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
    expect((await oneClick()).status).toBe(200);
    const first = await subscriberRow(email);
    expect((await oneClick()).status).toBe(200);
    expect(await subscriberRow(email)).toEqual(first);
  });

  it("sends a fresh confirmation at once when someone who unsubscribed signs up again", async () => {
    const email = uniqueEmail();
    const unsubscribeLink = await signUpAndConfirm(email);
    await worker(pathOf(unsubscribeLink), { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect((await subscriberRow(email))!.status).toBe("unsubscribed");

    const response = await subscribeForm(email);
    expect(response.status).toBe(200);
    const confirmations = (await acceptedSendsTo(email)).filter((send) => send.body.subject === CONFIRM_SUBJECT);
    expect(confirmations).toHaveLength(2);
    expect((await subscriberRow(email))!.status).toBe("pending");

    const confirmed = await postConfirm(tokenOf(linkIn(confirmations[1]!.body.text, "/confirm")));
    expect(confirmed.status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("active");
  });
});

describe("confirming twice", () => {
  it("is idempotent: the second POST shows the same page and sends no second welcome", async () => {
    const email = uniqueEmail();
    const token = tokenOf(await signUp(email));

    const first = await postConfirm(token);
    const confirmedAt = (await subscriberRow(email))!.confirmed_at;
    const second = await postConfirm(token);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(headingOf(await second.text())).toBe("You're subscribed");
    expect((await subscriberRow(email))!.confirmed_at).toBe(confirmedAt);
    expect((await acceptedSendsTo(email)).map((send) => send.body.subject)).toEqual([CONFIRM_SUBJECT, WELCOME_SUBJECT]);
  });

  it("sends one welcome when two confirmations race", async () => {
    const email = uniqueEmail();
    const token = tokenOf(await signUp(email));

    const responses = await Promise.all([postConfirm(token), postConfirm(token), postConfirm(token)]);

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    const welcomes = (await acceptedSendsTo(email)).filter((send) => send.body.subject === WELCOME_SUBJECT);
    expect(welcomes).toHaveLength(1);
  });

  it("keeps the confirmation link working while the confirmation page is open in several tabs", async () => {
    const email = uniqueEmail();
    const link = await signUp(email);
    for (let i = 0; i < 3; i++) expect((await worker(pathOf(link))).status).toBe(200);
    expect((await postConfirm(tokenOf(link))).status).toBe(200);
    expect((await worker(pathOf(link))).status).toBe(200);
  });
});

describe("the links in our emails", () => {
  it("point at PUBLIC_BASE_URL", async () => {
    const email = uniqueEmail();
    const unsubscribeLink = await signUpAndConfirm(email);
    expect(unsubscribeLink.startsWith(`${ORIGIN}/unsubscribe?token=`)).toBe(true);
    const [confirmation] = await acceptedSendsTo(email);
    expect(linkIn(confirmation!.body.text, "/confirm").startsWith(`${ORIGIN}/confirm?token=`)).toBe(true);
  });
});
