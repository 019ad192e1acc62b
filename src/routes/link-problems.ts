import { AppError } from "../http/errors";
import type { LinkProblem } from "../subscribers/subscription";

const NEW_LINK = "We can email you a new link to your subscription.";

/**
 * What a person is told about a link that does not work, by the link's kind: a confirmation link
 * is renewed by signing up again; a link to manage a subscription (unsubscribe, the subscription's
 * page) by asking for one by email, which its page offers.
 */
const PROBLEMS: Record<"confirm" | "manage", Record<LinkProblem, [code: string, message: string]>> = {
  confirm: {
    malformed: ["invalid_token", "This link is incomplete. Copy the whole link from the email into your browser."],
    forged: ["invalid_token", "This link is not valid. Copy the whole link from the email, or sign up again on the home page."],
    expired: ["expired_token", "This confirmation link has expired. Sign up again on the home page to get a fresh one."],
    wrong_purpose: ["invalid_token", "This link is meant for something else. Use the link from the right email."],
    revoked: ["revoked_token", `This confirmation link is no longer valid. Sign up again on the home page to get a fresh one. ${NEW_LINK}`],
    not_allowed: ["link_not_usable", `This link can't be used for this address any more. ${NEW_LINK}`],
  },
  manage: {
    malformed: ["invalid_token", `This link is incomplete. Copy the whole link from the email into your browser. ${NEW_LINK}`],
    forged: ["invalid_token", `This link is not valid. Copy the whole link from the email. ${NEW_LINK}`],
    expired: ["expired_token", `This link has expired. ${NEW_LINK}`],
    wrong_purpose: ["invalid_token", `This link is meant for something else. Use the link from the right email. ${NEW_LINK}`],
    revoked: ["revoked_token", `This link is no longer valid. ${NEW_LINK}`],
    not_allowed: ["link_not_usable", `This link can't be used for this address any more. ${NEW_LINK}`],
  },
};

/** The 400 for a link that does not work; its page offers a new link by email. */
export function invalidLink(kind: "confirm" | "manage", problem: LinkProblem): AppError {
  const [code, message] = PROBLEMS[kind][problem];
  return new AppError(400, code, message, {}, true);
}
