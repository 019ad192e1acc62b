/** @jsxImportSource hono/jsx */
import type { Stats } from "../../operations/stats";
import { topicLabel } from "../../papers/topics";
import { GrowthChart } from "./growth-chart";
import { ShareTable } from "./share-table";

const STATUS_LABELS: [status: string, label: string][] = [
  ["active", "active"],
  ["pending", "pending confirmation"],
  ["unsubscribed", "unsubscribed"],
  ["bounced", "bounced"],
  ["complained", "complained"],
  ["undeliverable", "undeliverable"],
];

export function ReadersPanel({ stats }: { stats: Stats }) {
  const { subscribers, readers } = stats;
  const active = subscribers.active ?? 0;
  const suppressed = (subscribers.bounced ?? 0) + (subscribers.complained ?? 0) + (subscribers.undeliverable ?? 0);
  const entries = (record: Record<string, number>, label: (key: string) => string) =>
    Object.entries(record)
      .filter(([, count]) => count > 0)
      .map(([key, count]) => ({ label: label(key), count }));
  return (
    <section class="panel" id="readers" aria-labelledby="readers-title">
      <h2 id="readers-title">Readers</h2>
      <ul class="cards">
        {STATUS_LABELS.map(([status, label]) => (
          <li data-status={status}>
            <span class="figure">{(subscribers[status] ?? 0).toLocaleString("en-US")}</span>
            <span class="label">{label}</span>
          </li>
        ))}
        <li data-status="suppressed">
          <span class="figure">{suppressed.toLocaleString("en-US")}</span>
          <span class="label">suppressed (never mailed)</span>
        </li>
      </ul>
      <GrowthChart days={stats.growth} />
      <h3>What active readers chose</h3>
      <div class="grid">
        <ShareTable of={active} caption="Cadence" rows={entries(readers.byCadence, (key) => key)} />
        <ShareTable of={active} caption="Papers per digest" rows={entries(readers.bySize, (key) => `${key} papers`)} />
        <ShareTable
          of={active}
          caption="Topics (the most chosen; a reader may choose several)"
          rows={[
            ...(readers.everyTopic > 0 ? [{ label: "every topic", count: readers.everyTopic }] : []),
            ...readers.topTopics.map((topic) => ({ label: topicLabel(topic.topic), count: topic.readers })),
          ]}
        />
        <ShareTable of={active} caption="Time zones (the most chosen)" rows={readers.topTimeZones.map((zone) => ({ label: zone.timeZone, count: zone.readers }))} />
        <ShareTable of={active} caption="Local delivery hour" rows={entries(readers.byDeliveryHour, (hour) => `${hour.padStart(2, "0")}:00`)} />
      </div>
    </section>
  );
}
