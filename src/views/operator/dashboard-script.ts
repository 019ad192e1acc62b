/**
 * The dashboard's one script, served as /admin/dashboard.js and allowed by the page's CSP nonce: it
 * polls each edition going out every two seconds and updates its progress card, and stops when the
 * edition is done (or the session has ended). The page is complete without it.
 */
export const dashboardScript = `"use strict";
const POLL_MS = 2000;
const number = (value) => value.toLocaleString("en-US");

function render(card, progress) {
  const field = (name) => card.querySelector('[data-field="' + name + '"]');
  field("bar").value = progress.percent;
  field("bar").textContent = progress.percent + "%";
  field("percent").textContent = progress.percent + "%";
  field("summary").textContent = number(progress.recipients.sent) + " sent of " + number(progress.recipients.total) + " frozen so far";
  field("done").textContent = progress.done ? ". Done." : "";
  field("chunks").textContent = number(progress.chunks.sent) + " / " + number(progress.chunks.total);
  field("inFlight").textContent = number(progress.recipients.inFlight);
  field("pending").textContent = number(progress.recipients.pending);
  field("failed").textContent = number(progress.recipients.failed);
  field("rate").textContent = progress.rate.callsPerSecond.toFixed(2) + " / " + progress.rate.limitCallsPerSecond;
  field("finish").textContent = progress.finishEstimate ? progress.finishEstimate.slice(11, 19) + " UTC" : "–";
  card.dataset.done = String(progress.done);
}

async function poll(card) {
  try {
    const response = await fetch("/admin/digests/" + encodeURIComponent(card.dataset.progress), { headers: { accept: "application/json" } });
    if (response.status === 401 || response.status === 404) return;
    if (response.ok) {
      const { progress } = await response.json();
      if (progress) render(card, progress);
      if (!progress || progress.done) return;
    }
  } catch (error) {
    // A dropped connection: try again at the next tick.
  }
  setTimeout(() => poll(card), POLL_MS);
}

for (const card of document.querySelectorAll("[data-progress]")) {
  if (card.dataset.done !== "true") setTimeout(() => poll(card), POLL_MS);
}
`;
