/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { timingSafeEqual } from "../http/bearer";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { Layout } from "../views/layout";

interface OutboxRow {
  id: number;
  created_at: number;
  idempotency_key: string | null;
  sender: string;
  recipient: string;
  subject: string;
  headers: string;
  html: string;
  text: string;
}

/**
 * The local outbox: every message paperboy "sent" while no RESEND_API_KEY is set.
 * It exists only in outbox mode; outside development it also needs the admin token,
 * because the messages hold working confirmation and unsubscribe links.
 */
export const devOutboxRoutes = new Hono<AppEnv>();

devOutboxRoutes.use("*", async (c, next) => {
  const { config } = c.var;
  if (config.resend) throw new AppError(404, "not_found", "There is no page at this address.");
  if (config.environment !== "development") {
    const presented = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
    if (!config.adminToken || !(await timingSafeEqual(presented, config.adminToken)))
      throw new AppError(404, "not_found", "There is no page at this address.");
  }
  await next();
});

devOutboxRoutes.get("/", async (c) => {
  const { results } = await c.env.DB.prepare(
    "SELECT * FROM outbox ORDER BY id DESC LIMIT 200",
  ).all<OutboxRow>();
  const messages = results.map(toMessage);
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
  const row = await c.env.DB.prepare("SELECT * FROM outbox WHERE id = ?").bind(Number(c.req.param("id"))).first<OutboxRow>();
  if (!row) throw new AppError(404, "not_found", "There is no message with this number in the outbox.");
  const m = toMessage(row);
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

function toMessage(row: OutboxRow) {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString().replace("T", " ").slice(0, 19),
    idempotencyKey: row.idempotency_key,
    from: row.sender,
    to: row.recipient,
    subject: row.subject,
    headers: JSON.parse(row.headers) as Record<string, string>,
    html: row.html,
    text: row.text,
  };
}
