/**
 * What paperboy hands to Resend per email, and the shape of the module that captures it. Plain
 * types with no imports, so both TypeScript programs share them: the Node one (mime.ts, the spam
 * test) and the Worker one (paperboy-emails.ts, which imports the domain modules).
 */

/** One email in the JSON body of Resend's send API, as src/delivery/resend-mailer.ts posts it. */
export interface ResendPayload {
  from: string;
  to: string | string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export interface CapturedEmail {
  name: string;
  payload: ResendPayload;
}

/** test/support/paperboy-emails.ts, which the Node side loads at run time only. */
export interface PaperboyEmailsModule {
  capturePaperboyEmails(): Promise<CapturedEmail[]>;
}
