import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config";
import { unsubscribeUrl } from "../../src/subscribers/links";
import { findSubscriberByKey } from "../../src/subscribers/store";
import { subscriberRow, uniqueEmail } from "../support/worker/db";
import { formsIn } from "../support/worker/forms";
import { resetMock } from "../support/worker/mock";
import { oneClickUnsubscribe, pathOf, postConfirm, signUp, signUpAndConfirm, tokenOf, worker } from "../support/worker/requests";

/** An old unsubscribe link offers a new link by email, never "sign up again": the reader came to leave. */
const REVOKED_MESSAGE = "This link is no longer valid. We can email you a new link to your subscription.";

/** Bumping the token version is what revokes every token issued so far (see subscribers/tokens.ts). */
async function revoke(email: string): Promise<void> {
  const row = await subscriberRow(email);
  await env.DB.prepare("UPDATE subscribers SET token_version = token_version + 1 WHERE id = ?").bind(row!.id).run();
}

beforeEach(() => resetMock());

describe("revoking a subscriber's tokens", () => {
  it("stops their old unsubscribe link: page, one-click and resubscribe all answer 400 and change nothing", async () => {
    const email = uniqueEmail();
    const link = await signUpAndConfirm(email);
    await revoke(email);

    const page = await worker(pathOf(link), { headers: { accept: "text/html" } });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain(REVOKED_MESSAGE);
    expect(formsIn(html).map((form) => form.action)).toEqual(["/manage"]);

    const post = await oneClickUnsubscribe(link);
    expect(post.status).toBe(400);
    expect((await subscriberRow(email))!.status).toBe("active");

    const resubscribe = await worker(`/resubscribe?token=${tokenOf(link)}`, { method: "POST", headers: { accept: "application/json" } });
    expect(resubscribe.status).toBe(400);
    expect(await resubscribe.json()).toEqual({ error: { code: "revoked_token", message: REVOKED_MESSAGE } });
  });

  it("leaves a link issued after the revocation working", async () => {
    const email = uniqueEmail();
    await signUpAndConfirm(email);
    await revoke(email);

    const result = readConfig(env);
    if (!result.ok) throw new Error(result.problems.join("; "));
    const subscriber = await findSubscriberByKey(env.DB, email.toLowerCase());
    const fresh = await unsubscribeUrl(result.config, subscriber!);

    expect((await oneClickUnsubscribe(fresh)).status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("unsubscribed");
  });

  it("only affects that subscriber", async () => {
    const revoked = uniqueEmail("revoked");
    const other = uniqueEmail("other");
    await signUpAndConfirm(revoked);
    const otherLink = await signUpAndConfirm(other);
    await revoke(revoked);

    expect((await oneClickUnsubscribe(otherLink)).status).toBe(200);
    expect((await subscriberRow(other))!.status).toBe("unsubscribed");
  });

  it("also stops an unused confirmation link", async () => {
    const email = uniqueEmail();
    const link = await signUp(email);
    await revoke(email);

    expect((await worker(pathOf(link))).status).toBe(400);
    expect((await postConfirm(tokenOf(link))).status).toBe(400);
    expect((await subscriberRow(email))!.status).toBe("pending");
  });
});

describe("an unsubscribe link is bound to one subscriber", () => {
  it("unsubscribes the subscriber it was issued to and nobody else", async () => {
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    const firstLink = await signUpAndConfirm(first);
    await signUpAndConfirm(second);

    expect((await oneClickUnsubscribe(firstLink)).status).toBe(200);
    expect((await subscriberRow(first))!.status).toBe("unsubscribed");
    expect((await subscriberRow(second))!.status).toBe("active");
  });

  it("cannot be pointed at another subscriber by editing the id in it", async () => {
    const victim = uniqueEmail("victim");
    const attacker = uniqueEmail("attacker");
    await signUpAndConfirm(victim);
    const attackerLink = await signUpAndConfirm(attacker);
    const victimId = (await subscriberRow(victim))!.id;

    const fields = tokenOf(attackerLink).split(".");
    fields[1] = String(victimId);
    const response = await worker(`/unsubscribe?token=${fields.join(".")}`, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
    });

    expect(response.status).toBe(400);
    expect((await subscriberRow(victim))!.status).toBe("active");
  });

  it("stops working when its subscriber no longer exists", async () => {
    const email = uniqueEmail();
    const link = await signUpAndConfirm(email);
    await env.DB.prepare("DELETE FROM subscribers WHERE email_key = ?").bind(email.toLowerCase()).run();

    const response = await oneClickUnsubscribe(link);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(REVOKED_MESSAGE);
  });
});
