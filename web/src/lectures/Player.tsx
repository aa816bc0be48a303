/**
 * A lecture's video: the file itself (local provider) or HLS from Stream
 * (hls.js, loaded only for HLS and only where the browser has no native
 * HLS), with captions, speed from 0.5× to 2×, chapters, a link to the
 * current moment, and the viewer's place kept for next time.
 */
import { For, Show, createSignal, onCleanup, onMount } from "solid-js";
import type { LectureDetail } from "../../../protocol/lectures";
import { FormAlert } from "../ui/Field";
import { clock, savePosition } from "./api";

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;
const SPEED_KEY = "lecture:speed";
/** Save the place this often while playing (and on pause, seek and leaving). */
const SAVE_EVERY_MS = 15_000;

/** Where to start: a `?t=` link wins, then the saved place unless it is at the very end (the last 5 s, or 5% of a short video). */
export function startAt(search: string, saved: number, duration: number | null): number {
  const t = Number(new URLSearchParams(search).get("t"));
  if (Number.isFinite(t) && t > 0) return duration ? Math.min(t, duration) : t;
  return duration && saved >= duration - Math.min(5, duration * 0.05) ? 0 : saved;
}

export function Player(props: { lecture: LectureDetail; onTime?: (seconds: number) => void; onVideo?: (video: HTMLVideoElement) => void }) {
  let video!: HTMLVideoElement;
  const [time, setTime] = createSignal(0);
  const [speed, setSpeed] = createSignal(Number(localStorage.getItem(SPEED_KEY)) || 1);
  const [copied, setCopied] = createSignal("");
  const [problem, setProblem] = createSignal("");
  let lastSaved = -1;
  let lastSaveAt = 0;
  let destroyHls = () => {};

  const save = (keepalive = false) => {
    const at = Math.round(video.currentTime * 10) / 10;
    if (at === lastSaved) return;
    lastSaved = at;
    lastSaveAt = Date.now();
    if (keepalive) {
      void fetch(`/api/lectures/${props.lecture.id}/position`, { method: "PUT", keepalive: true, headers: { "content-type": "application/json" }, body: JSON.stringify({ position: at }) });
    } else {
      savePosition(props.lecture.id, at).catch(() => (lastSaved = -1));
    }
  };

  onMount(async () => {
    props.onVideo?.(video);
    // Loading a source resets playbackRate to defaultPlaybackRate.
    video.defaultPlaybackRate = video.playbackRate = speed();
    const start = startAt(location.search, props.lecture.position, props.lecture.duration);
    // A link's moment applies to this visit: afterwards the saved place takes over again.
    if (new URLSearchParams(location.search).has("t")) history.replaceState(history.state, "", location.pathname);
    video.addEventListener(
      "loadedmetadata",
      () => {
        if (Number.isFinite(video.duration)) return void (video.currentTime = start);
        // A browser recording (MediaRecorder) has no length in its header, so
        // the seek bar would not work: a seek past the end makes the browser
        // find the length, and then the start is set.
        video.addEventListener("durationchange", () => (video.currentTime = start), { once: true });
        video.currentTime = Number.MAX_SAFE_INTEGER;
      },
      { once: true },
    );
    const playback = props.lecture.playback;
    if (!playback) return;
    if (playback.kind === "file" || video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = playback.src;
      return;
    }
    const { default: Hls } = await import("hls.js");
    if (!Hls.isSupported()) return setProblem("This browser cannot play this video (no Media Source Extensions).");
    const hls = new Hls();
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) setProblem("The video stopped loading. Reload the page to try again.");
    });
    hls.loadSource(playback.src);
    hls.attachMedia(video);
    destroyHls = () => hls.destroy();
  });
  const onLeave = () => save(true);
  window.addEventListener("pagehide", onLeave);
  onCleanup(() => {
    window.removeEventListener("pagehide", onLeave);
    if (video.currentTime > 0) save(true);
    destroyHls();
  });

  const chapterAt = () => {
    const list = props.lecture.chapters;
    let current = -1;
    list.forEach((c, i) => {
      if (c.at <= time()) current = i;
    });
    return current;
  };

  async function copyLink() {
    const t = Math.floor(video.currentTime);
    const link = `${location.origin}/lectures/${props.lecture.id}?t=${t}`;
    await navigator.clipboard?.writeText(link).catch(() => undefined);
    setCopied(link);
  }

  return (
    <div class="player">
      <video
        ref={video}
        controls
        playsinline
        preload="metadata"
        data-testid="lecture-video"
        onTimeUpdate={() => {
          setTime(video.currentTime);
          props.onTime?.(video.currentTime);
          if (!video.paused && Date.now() - lastSaveAt > SAVE_EVERY_MS) save();
        }}
        onSeeked={() => {
          setTime(video.currentTime);
          props.onTime?.(video.currentTime);
        }}
        onPause={() => save()}
        onError={() => setProblem("This video could not be played: the file may not be a video, or this browser cannot play its format (MP4 with H.264, or WebM, play everywhere).")}
      >
        <For each={props.lecture.captions}>{(t, i) => <track kind="captions" src={t.src} srclang={t.lang} label={t.label} default={i() === 0} />}</For>
      </video>
      <FormAlert message={problem()} />
      <div class="row player-controls">
        <label class="row small">
          Speed
          <select
            aria-label="Playback speed"
            value={String(speed())}
            onChange={(e) => {
              const next = Number(e.currentTarget.value);
              setSpeed(next);
              video.defaultPlaybackRate = video.playbackRate = next;
              localStorage.setItem(SPEED_KEY, String(next));
            }}
          >
            <For each={SPEEDS}>{(s) => <option value={String(s)}>{s}×</option>}</For>
          </select>
        </label>
        <button type="button" class="small" onClick={copyLink}>
          Copy link to {clock(time())}
        </button>
        <Show when={copied()}>
          <input class="small" readOnly aria-label="Link to this moment" value={copied()} onFocus={(e) => e.currentTarget.select()} />
        </Show>
      </div>
      <Show when={props.lecture.chapters.length}>
        <nav aria-label="Chapters">
          <ol class="chapters">
            <For each={props.lecture.chapters}>
              {(c, i) => (
                <li classList={{ current: chapterAt() === i() }}>
                  <button type="button" class="link" onClick={() => (video.currentTime = c.at)}>
                    <span class="muted">{clock(c.at)}</span> {c.title}
                  </button>
                </li>
              )}
            </For>
          </ol>
        </nav>
      </Show>
    </div>
  );
}
