/**
 * What a reader chooses: how often (daily or weekly), how many papers, which topics, and when the
 * digest arrives (a time zone and a local hour). One schema for every way in (the sign-up form
 * and API, the preference centre, the CSV import), each field with a message written for people.
 */
import * as v from "valibot";
import { canonicalZone, UTC } from "../lib/time-zones";
import { builtInTopic, TOPICS } from "../papers/topics";

/** Daily: each weekday's papers, the next morning. Weekly: the week's, on Monday morning. */
const CADENCES = ["daily", "weekly"] as const;
export type Cadence = (typeof CADENCES)[number];
export const SIZES = [3, 5, 10, 20] as const;
export const DELIVERY_HOURS = [6, 7, 8, 9, 10] as const;
export const MAX_TOPICS = 10;
const MAX_KEYWORD = 40;

export interface Preferences {
  cadence: Cadence;
  size: number;
  /** Built-in topic ids and the reader's own keywords, canonical (see `canonicalTopics`); empty: everything. */
  topics: string[];
  timeZone: string;
  /** Local hour, 6–10. */
  deliveryHour: number;
}

export const DEFAULT_PREFERENCES: Preferences = { cadence: "daily", size: 10, topics: [], timeZone: UTC, deliveryHour: 7 };

/** A number that may arrive as a form's string. */
const wholeNumber = (message: string) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.trim(), v.regex(/^\d{1,3}$/, message), v.transform(Number))], message),
    v.integer(message),
  );

const CadenceField = v.picklist(CADENCES, "Choose daily or weekly.");
const SizeField = v.pipe(wholeNumber("Choose 3, 5, 10 or 20 papers."), v.picklist(SIZES, "Choose 3, 5, 10 or 20 papers."));
const HourField = v.pipe(
  wholeNumber("Choose an hour from 6 to 10 (06:00 to 10:00 your time)."),
  v.picklist(DELIVERY_HOURS, "Choose an hour from 6 to 10 (06:00 to 10:00 your time)."),
);
const TimeZoneField = v.pipe(
  v.string("A time zone is an IANA name such as Europe/Berlin or America/New_York."),
  v.transform((zone: string) => canonicalZone(zone)),
  v.string("We don't know that time zone. Use an IANA name such as Europe/Berlin or America/New_York."),
);

const topicsMessage = `Choose up to ${MAX_TOPICS} topics: ${TOPICS.map((topic) => topic.id).join(", ")}, or your own keywords (2 to ${MAX_KEYWORD} characters each).`;

/** One topic as typed: a built-in id or label, or a keyword; lower-cased, spaces collapsed. */
function canonicalTopic(input: string): string | null {
  const text = input.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
  const builtIn = TOPICS.find((topic) => topic.id === text || topic.label.toLowerCase() === text);
  if (builtIn) return builtIn.id;
  if (text.length < 2 || text.length > MAX_KEYWORD || /[\p{C}<>"]/u.test(text)) return null;
  return text;
}

/** Built-in topics in the list's order, then keywords alphabetically: equal choices, equal lists. */
function canonicalTopics(topics: readonly string[]): string[] {
  const unique = [...new Set(topics)];
  const builtIn = TOPICS.map((topic) => topic.id).filter((id) => unique.includes(id));
  const keywords = unique.filter((topic) => !builtInTopic(topic)).sort();
  return [...builtIn, ...keywords];
}

/** Topics from an array (JSON, repeated form fields) or one comma-separated string. */
const TopicsField = v.pipe(
  v.union([v.array(v.string(topicsMessage), topicsMessage), v.string(topicsMessage)], topicsMessage),
  // Ticked topics and a box of comma-separated keywords arrive together as one list.
  v.transform((input: string | string[]) => (typeof input === "string" ? [input] : input).flatMap((entry) => entry.split(",")).filter((topic) => topic.trim() !== "")),
  v.check((topics: string[]) => topics.every((topic) => canonicalTopic(topic) !== null), topicsMessage),
  v.transform((topics: string[]) => canonicalTopics(topics.map((topic) => canonicalTopic(topic)!))),
  v.maxLength(MAX_TOPICS, topicsMessage),
);

/** Every field optional: what is missing keeps its current (or default) value. */
export const PreferenceFields = v.object({
  cadence: v.optional(CadenceField),
  size: v.optional(SizeField),
  topics: v.optional(TopicsField),
  timezone: v.optional(TimeZoneField),
  hour: v.optional(HourField),
});
export type PreferenceInput = v.InferOutput<typeof PreferenceFields>;

/** The choices after applying `input` to `current`. */
export function applyPreferences(current: Preferences, input: PreferenceInput): Preferences {
  return {
    cadence: input.cadence ?? current.cadence,
    size: input.size ?? current.size,
    topics: input.topics ?? current.topics,
    timeZone: input.timezone ?? current.timeZone,
    deliveryHour: input.hour ?? current.deliveryHour,
  };
}

/** Whether a change moves when the reader's digests arrive (the freeze looks again at such readers). */
export function changesSchedule(before: Preferences, after: Preferences): boolean {
  return before.cadence !== after.cadence || before.timeZone !== after.timeZone || before.deliveryHour !== after.deliveryHour;
}
