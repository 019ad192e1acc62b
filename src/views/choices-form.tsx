/** @jsxImportSource hono/jsx */
import { zonesByRegion } from "../lib/time-zones";
import { TOPICS } from "../papers/topics";
import { DELIVERY_HOURS, MAX_TOPICS, type Preferences, SIZES } from "../subscribers/preferences";

export interface ChoicesFormProps {
  choices: Preferences;
  /** The preferences token of the page's link: the form acts through it. */
  token: string;
  /** 1: a day's papers arrive the next morning; 2: a morning later (see `morningsAfterTheDay`). */
  morningsAfter: 1 | 2;
  /** Whether an earlier hour would bring them a morning sooner. */
  soonerFrom: number | null;
}

const hourText = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

/**
 * The reader's choices, one form: how often, how many papers, which topics, and when. Saving is a
 * same-origin POST answered with a redirect back to the page, which then says what was saved.
 */
export function ChoicesForm({ choices, token, morningsAfter, soonerFrom }: ChoicesFormProps) {
  const ownKeywords = choices.topics.filter((topic) => !TOPICS.some((builtIn) => builtIn.id === topic));
  return (
    <form method="post" action={`/preferences?token=${encodeURIComponent(token)}`} class="choices">
      <h2>Your digest</h2>
      <fieldset>
        <legend>How often</legend>
        <label>
          <input type="radio" name="cadence" value="daily" checked={choices.cadence === "daily"} /> Daily: each weekday's papers
        </label>
        <label>
          <input type="radio" name="cadence" value="weekly" checked={choices.cadence === "weekly"} /> Weekly: the week's top papers, on Monday
        </label>
      </fieldset>
      <fieldset>
        <legend>How many papers</legend>
        {SIZES.map((size) => (
          <label class="inline">
            <input type="radio" name="size" value={String(size)} checked={choices.size === size} /> {size}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Topics</legend>
        <p class="hint">Only papers on the topics you tick, or with your own keywords; none ticked means every paper. Up to {MAX_TOPICS} in all.</p>
        {/* Sent even when nothing is ticked, so unticking every topic clears them. */}
        <input type="hidden" name="topics" value="" />
        {TOPICS.map((topic) => (
          <label class="inline">
            <input type="checkbox" name="topics" value={topic.id} checked={choices.topics.includes(topic.id)} /> {topic.label}
          </label>
        ))}
        <label for="keywords">Your own keywords, separated by commas</label>
        <input id="keywords" name="topics" type="text" value={ownKeywords.join(", ")} maxlength={440} placeholder="e.g. mamba, protein folding" />
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <label for="timezone">Time zone</label>
        <select id="timezone" name="timezone">
          {zonesByRegion().map(({ region, zones }) => (
            <optgroup label={region}>
              {zones.map((zone) => (
                <option value={zone} selected={zone === choices.timeZone}>
                  {zone.replace(/_/g, " ")}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <label for="hour">Hour</label>
        <select id="hour" name="hour">
          {DELIVERY_HOURS.map((hour) => (
            <option value={String(hour)} selected={hour === choices.deliveryHour}>
              {hourText(hour)}
            </option>
          ))}
        </select>
        <p class="hint">
          {morningsAfter === 1
            ? `A day's papers reach you the next morning at ${hourText(choices.deliveryHour)}; the weekly digest on Monday.`
            : `A day's papers are complete after your next morning, so they reach you a morning later, at ${hourText(choices.deliveryHour)}.`}
          {soonerFrom !== null && ` From ${hourText(soonerFrom)} they arrive a morning sooner.`}
        </p>
      </fieldset>
      <button type="submit">Save my choices</button>
    </form>
  );
}
