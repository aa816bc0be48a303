/**
 * The teacher's code at any moment of a class recording, from the editor's
 * log (GET /api/lectures/:id/code): the code when the recording began, then
 * every change with its time. Checkpoints every so many changes keep a seek
 * backwards from replaying the whole class.
 */
import { ChangeSet, Text } from "@codemirror/state";
import type { CodeTimelinePage } from "../../../protocol/lectures";

const CHECKPOINT_EVERY = 200;

export class CodeTimeline {
  /** Seconds into the video at which each change was made. */
  private readonly times: number[] = [];
  private readonly changes: ChangeSet[] = [];
  /** The text after changes[0..i*CHECKPOINT_EVERY). */
  private readonly checkpoints: Text[] = [Text.empty];
  private text = Text.empty;
  private applied = 0;

  constructor(private readonly recordedAt: number) {}

  /** Adds a page of the log, in order; the first page brings the code the recording starts with. */
  add(page: Pick<CodeTimelinePage, "updates" | "start">): void {
    if (page.start && this.changes.length === 0) {
      this.checkpoints[0] = this.text = Text.of(page.start.text.split("\n"));
      this.applied = 0;
    }
    for (const u of page.updates) {
      this.times.push((u.at - this.recordedAt) / 1000);
      this.changes.push(ChangeSet.fromJSON(u.changes));
    }
  }

  get length(): number {
    return this.changes.length;
  }

  /** How many changes were made by `seconds` into the video. */
  countAt(seconds: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= seconds) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The code as it was `seconds` into the video. */
  textAt(seconds: number): string {
    const target = this.countAt(seconds);
    if (target < this.applied) {
      const k = Math.min(Math.floor(target / CHECKPOINT_EVERY), this.checkpoints.length - 1);
      this.text = this.checkpoints[k]!;
      this.applied = k * CHECKPOINT_EVERY;
    }
    while (this.applied < target) {
      this.text = this.changes[this.applied]!.apply(this.text);
      this.applied += 1;
      if (this.applied % CHECKPOINT_EVERY === 0 && this.checkpoints.length === this.applied / CHECKPOINT_EVERY) this.checkpoints.push(this.text);
    }
    return this.text.toString();
  }
}

/** Loads a lecture's whole code timeline, page by page. */
export async function loadTimeline(fetchPage: (after: number) => Promise<CodeTimelinePage>): Promise<CodeTimeline> {
  let page = await fetchPage(0);
  const timeline = new CodeTimeline(page.recordedAt);
  timeline.add(page);
  while (page.hasMore && page.updates.length > 0) {
    page = await fetchPage(page.after + page.updates.length);
    timeline.add(page);
  }
  return timeline;
}
