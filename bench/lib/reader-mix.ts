/**
 * Who the editions benchmarks' readers are: their choices as a pure function of their number, so
 * the benchmark can say what each one should get without asking the Worker. The first readers take
 * every combination in turn (so even a small run has every group), the rest are drawn with weights.
 */
import { seededRandom } from "../../test/support/random";
import { type Choices, DEFAULT_CHOICES } from "./seed";
import { TOPIC_COMBINATIONS } from "./topic-papers";

const SIZES = [3, 5, 10, 20] as const;

function weighted<T>(items: readonly (readonly [T, number])[], roll: number): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let left = roll * total;
  for (const [item, weight] of items) if ((left -= weight) < 0) return item;
  return items.at(-1)![0];
}

const SIZE_WEIGHTS = [[3, 0.15], [5, 0.3], [10, 0.4], [20, 0.15]] as const;
// Everything is the most common choice, one topic next, then the rest.
const COMBINATION_WEIGHTS = TOPIC_COMBINATIONS.map((topics, index) => [index, topics.length === 0 ? 8 : topics.length === 1 && index <= 12 ? 2 : 1] as const);

/**
 * Issue 13's mix: both cadences (three in four daily), all four sizes and the 30 topic
 * combinations of `TOPIC_COMBINATIONS`, everyone at the default morning (07:00 UTC), so a single
 * cron run freezes them all. Readers 1..240 take every cadence × size × combination once.
 */
export function choicesOf(seed: number): (n: number) => Choices {
  return (n) => {
    const index = n - 1;
    if (index < 2 * SIZES.length * TOPIC_COMBINATIONS.length)
      return {
        ...DEFAULT_CHOICES,
        cadence: index % 2 === 0 ? "daily" : "weekly",
        size: SIZES[Math.floor(index / 2) % SIZES.length]!,
        topics: TOPIC_COMBINATIONS[Math.floor(index / (2 * SIZES.length))]!,
      };
    const next = seededRandom(seed * 1_000_003 + n);
    return {
      ...DEFAULT_CHOICES,
      cadence: next() < 0.75 ? "daily" : "weekly",
      size: weighted(SIZE_WEIGHTS, next()),
      topics: TOPIC_COMBINATIONS[weighted(COMBINATION_WEIGHTS, next())]!,
    };
  };
}

/**
 * 40 zones, with a weight for how many readers live there: UTC-8, UTC, UTC+5:30, Nepal's +5:45,
 * UTC+9, Chatham's +12:45 and UTC+14 as issue 14 asks, the half-hour zones, and zones with summer
 * time on both hemispheres (New York, Berlin, London, Santiago, Sydney, Auckland, Chatham...).
 */
const ZONES: readonly (readonly [string, number])[] = [
  ["Pacific/Pago_Pago", 1], ["Pacific/Honolulu", 1], ["America/Anchorage", 1], ["America/Los_Angeles", 8],
  ["America/Denver", 2], ["America/Phoenix", 1], ["America/Chicago", 5], ["America/Mexico_City", 3],
  ["America/New_York", 10], ["America/Bogota", 2], ["America/Halifax", 1], ["America/Santiago", 1],
  ["America/St_Johns", 1], ["America/Sao_Paulo", 4], ["America/Argentina/Buenos_Aires", 2], ["Atlantic/Azores", 1],
  ["UTC", 3], ["Europe/London", 8], ["Africa/Lagos", 2], ["Europe/Berlin", 8],
  ["Africa/Cairo", 2], ["Europe/Helsinki", 2], ["Africa/Johannesburg", 1], ["Europe/Moscow", 3],
  ["Asia/Tehran", 1], ["Asia/Dubai", 2], ["Asia/Karachi", 2], ["Asia/Kolkata", 8],
  ["Asia/Kathmandu", 1], ["Asia/Dhaka", 2], ["Asia/Yangon", 1], ["Asia/Bangkok", 2],
  ["Asia/Shanghai", 6], ["Australia/Eucla", 1], ["Asia/Tokyo", 5], ["Australia/Adelaide", 1],
  ["Australia/Sydney", 3], ["Pacific/Auckland", 2], ["Pacific/Chatham", 1], ["Pacific/Kiritimati", 1],
];
const HOURS = [[6, 1], [7, 3], [8, 3], [9, 2], [10, 1]] as const;
/** A few sizes and topics, so that renders shared across slots show (twelve lists at most). */
const MORNING_TOPICS = [[], ["language-models"], ["agents", "reinforcement-learning"]] as const;

/**
 * Issue 14's mix: daily readers over `ZONES` and the hours 06–10, with four sizes and three topic
 * choices. Readers 1..200 take every zone × hour once.
 */
export function morningsOf(seed: number): (n: number) => Choices {
  return (n) => {
    const index = n - 1;
    const choices = { ...DEFAULT_CHOICES, size: SIZES[n % SIZES.length]!, topics: MORNING_TOPICS[Math.floor(n / SIZES.length) % MORNING_TOPICS.length]! };
    if (index < ZONES.length * HOURS.length)
      return { ...choices, timezone: ZONES[index % ZONES.length]![0], hour: HOURS[Math.floor(index / ZONES.length)]![0] };
    const next = seededRandom(seed * 1_000_003 + n);
    return { ...choices, timezone: weighted(ZONES, next()), hour: weighted(HOURS, next()) };
  };
}

/** The choices' group: readers in one group get the same papers. */
export const groupKey = (choices: Choices) => `${choices.cadence}|${choices.size}|${JSON.stringify(choices.topics)}`;
