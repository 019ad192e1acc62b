/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { findOutboxMessage, listOutbox } from "../delivery/outbox-mailer";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { requireAdmin } from "../http/require-admin";
import { Layout } from "../views/layout";

/**
 * The local outbox: every message paperboy "sent" while no RESEND_API_KEY is set.
 * It exists only in outbox mode; outside development it also needs the admin token,
 * because the messages hold working confirmation and unsubscribe links.
 */
export const devOutboxRoutes = new Hono<AppEnv>();

const noSuchPage = () => new AppError(404, "not_found", "There is no page at this address.");
const adminOnly = requireAdmin(noSuchPage);

devOutboxRoutes.use(async (c, next) => {
  const { config } = c.var.services;
  if (config.resend) throw noSuchPage();
  return config.environment === "development" ? next() : adminOnly(c, next);
});

devOutboxRoutes.get("/", async (c) => {
  const messages = await listOutbox(c.var.services.db, 200);
  if (/application\/json/.test(c.req.header("accept") ?? "")) return c.json({ messages });
  return c.html(
    <Layout title="Outbox">
      <h1>Outbox</h1>
      <p class="hint">Mail paperboy would have sent, newest first. Set RESEND_API_KEY to send for real.</p>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr>
                <td>{m.createdAt}</td>
                <td>{m.to}</td>
                <td>
                  <a href={`/dev/outbox/${m.id}`}>{m.subject}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>,
  );
});

devOutboxRoutes.get("/:id{[0-9]+}", async (c) => {
  const m = await findOutboxMessage(c.var.services.db, Number(c.req.param("id")));
  if (!m) throw new AppError(404, "not_found", "There is no message with this number in the outbox.");
  if (/application\/json/.test(c.req.header("accept") ?? "")) return c.json(m);
  return c.html(
    <Layout title={m.subject}>
      <p>
        <a href="/dev/outbox">← Outbox</a>
      </p>
      <h1>{m.subject}</h1>
      <table>
        <tbody>
          <tr><th scope="row">From</th><td>{m.from}</td></tr>
          <tr><th scope="row">To</th><td>{m.to}</td></tr>
          <tr><th scope="row">Sent</th><td>{m.createdAt}</td></tr>
          <tr><th scope="row">Idempotency-Key</th><td>{m.idempotencyKey}</td></tr>
          {Object.entries(m.headers).map(([name, value]) => (
            <tr><th scope="row">{name}</th><td>{value}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>HTML</h2>
      <iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc={m.html}></iframe>
      <h2>Plain text</h2>
      <pre>{m.text}</pre>
    </Layout>,
  );
});
