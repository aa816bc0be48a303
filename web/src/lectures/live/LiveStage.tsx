/**
 * Live video in the room's side panel. Staff go live (camera, screen or
 * both, and the microphone) and see who is watching and how the recording
 * is going; everyone else sees the video beside their editor and can pop it
 * out (Picture-in-Picture). Local provider: WebRTC through the room's
 * signals (peers.ts); Stream: WHIP and WHEP (whip.ts).
 */
import { Show, createEffect, createSignal, on, onCleanup } from "solid-js";
import { useRoom } from "../../room/session";
import { FormAlert } from "../../ui/Field";
import { Link } from "../../ui/Link";
import { formatBytes } from "../../files/rate";
import { clock } from "../api";
import { capture, type Capture, type Source } from "./media";
import { Broadcaster, Viewer, type SendSignal } from "./peers";
import { recordInto } from "./record";
import type { RecordingProgress } from "./recorder";
import { play, publish } from "./whip";

export function LiveStage() {
  const session = useRoom();
  const [mine, setMine] = createSignal(false);
  // The room's names are unique per account: a broadcast under this name is this account's, left by a reload or
  // another tab, and going live again here replaces it.
  const someoneElse = () => session.live() !== null && !mine() && session.live()!.by !== session.username;
  return (
    <section class="live-stage" aria-label="Live video">
      <Show when={session.role === "Teacher" && !someoneElse()}>
        <GoLive onLive={setMine} />
      </Show>
      <Show when={someoneElse()}>
        <Watch />
      </Show>
    </section>
  );
}

function GoLive(props: { onLive: (on: boolean) => void }) {
  const session = useRoom();
  const [source, setSource] = createSignal<Source>("camera");
  const [microphone, setMicrophone] = createSignal(true);
  const [record, setRecord] = createSignal(true);
  const [startedAt, setStartedAt] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());
  const clockTimer = setInterval(() => setNow(Date.now()), 1000);
  const [phase, setPhase] = createSignal<"idle" | "starting" | "live" | "saving">("idle");
  const [viewers, setViewers] = createSignal(0);
  const [recording, setRecording] = createSignal<(RecordingProgress & { partSize: number }) | null>(null);
  const [note, setNote] = createSignal("");
  const [saved, setSaved] = createSignal<string | null>(null);
  let preview!: HTMLVideoElement;
  let media: Capture | null = null;
  let broadcaster: Broadcaster | null = null;
  let publisher: RTCPeerConnection | null = null;
  let recorder: { stop(): Promise<void> } | null = null;
  let lectureId: string | null = null;
  const send: SendSignal = (s) => session.send({ action: "LIVE_SIGNAL", payload: s });

  session.onError("live", (e) => {
    // Ending a broadcast the room has already ended is no news.
    if (e.action === "LIVE_STOP" && e.code === "NOT_FOUND") return;
    setNote(e.error_message);
    if (phase() === "starting") stopMedia();
  });
  session.listen((m) => {
    if (m.responseType === "LIVE_SIGNAL") void broadcaster?.handle(m.payload);
    if (m.responseType !== "LIVE_STARTED" || phase() !== "starting" || !media) return;
    const { recording: rec, problem, whipUrl } = m.payload;
    setPhase("live");
    setStartedAt(Date.now());
    props.onLive(true);
    setNote(problem ?? "");
    if (whipUrl) {
      publish(whipUrl, media.stream).then(
        (pc) => (publisher = pc),
        (e: unknown) => setNote(e instanceof Error ? e.message : "Stream refused the video."),
      );
    } else {
      broadcaster = new Broadcaster(media.stream, send);
      broadcaster.onViewers = setViewers;
    }
    if (rec) {
      lectureId = rec.lectureId;
      setRecording({ sentBytes: 0, waitingParts: 0, retrying: false, partSize: rec.partSize });
      recorder = recordInto(media.stream, rec, (p) => setRecording({ ...p, partSize: rec.partSize }));
    }
  });
  // Ended by someone else (another staff member, or the room after a long absence): save the recording here too.
  createEffect(
    on(session.live, (live, before) => {
      if (live === null && before && phase() === "live") void end(false);
    }),
  );
  // Back after a dropped connection while live: take the broadcast back on the new one.
  createEffect(
    on(session.status, (status, before) => {
      if (status === "joined" && before !== undefined && before !== "joined" && phase() === "live") session.send({ action: "LIVE_START", payload: { resume: true } });
    }),
  );

  async function start() {
    setNote("");
    setSaved(null);
    setPhase("starting");
    try {
      media = await capture(source(), microphone());
    } catch (e) {
      setPhase("idle");
      return setNote(e instanceof DOMException && e.name === "NotAllowedError" ? "The browser was not allowed to use the camera, screen or microphone." : "Could not start the camera, screen or microphone.");
    }
    preview.srcObject = media.stream;
    // The screen share's own "Stop sharing" button ends the broadcast too.
    media.stream.getVideoTracks()[0]?.addEventListener("ended", () => void end());
    if (!session.send({ action: "LIVE_START", payload: { record: record() } })) {
      stopMedia();
      setNote("Not connected: wait for the room to reconnect, then go live.");
    }
  }

  function stopMedia() {
    broadcaster?.close();
    broadcaster = null;
    publisher?.close();
    publisher = null;
    media?.stop();
    media = null;
    if (preview) preview.srcObject = null;
    setViewers(0);
    setPhase("idle");
  }

  async function end(tellRoom = true) {
    if (phase() !== "live") return;
    if (tellRoom) session.send({ action: "LIVE_STOP", payload: {} });
    const rec = recorder;
    recorder = null;
    setPhase("saving");
    const saving = rec?.stop();
    // The recorder has flushed its last chunk before the tracks stop.
    await saving?.then(
      () => setSaved(lectureId),
      (e: unknown) => setNote(`The recording was not saved: ${e instanceof Error ? e.message : "try again"}.`),
    );
    stopMedia();
    props.onLive(false);
  }
  // Leaving the page while live would end the broadcast and lose what is not yet saved: ask first.
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (phase() === "live" || phase() === "saving") e.preventDefault();
  };
  window.addEventListener("beforeunload", beforeUnload);
  onCleanup(() => {
    clearInterval(clockTimer);
    window.removeEventListener("beforeunload", beforeUnload);
    if (phase() === "live") void end();
  });

  return (
    <div class="go-live">
      <video ref={preview} class="live-video" muted playsinline autoplay hidden={phase() === "idle"} aria-label="Your broadcast" />
      <Show
        when={phase() === "idle"}
        fallback={
          <div class="row wrap">
            <span class="badge badge-live" data-testid="live-badge">
              {phase() === "starting" ? "Starting…" : phase() === "saving" ? "Saving the recording…" : "Live"}
            </span>
            <Show when={phase() === "live"}>
              <span class="muted small" data-testid="live-viewers">
                {viewers()} watching
              </span>
              <button class="danger" onClick={() => confirm("End the live video for everyone?") && void end()}>
                End live
              </button>
            </Show>
          </div>
        }
      >
        <div class="row wrap small">
          <label>
            Video{" "}
            <select value={source()} onChange={(e) => setSource(e.currentTarget.value as Source)} aria-label="Video source" title="What students see: your camera, your screen, or your screen with the camera in a corner">
              <option value="camera">Camera</option>
              <option value="screen">Screen</option>
              <option value="both">Screen and camera</option>
            </select>
          </label>
          <label class="row">
            <input type="checkbox" checked={microphone()} onChange={(e) => setMicrophone(e.currentTarget.checked)} /> Microphone
          </label>
          <label class="row">
            <input type="checkbox" checked={record()} onChange={(e) => setRecord(e.currentTarget.checked)} /> Record (class rooms)
          </label>
          <button onClick={() => void start()} disabled={!session.ready()}>
            Go live
          </button>
        </div>
      </Show>
      <Show when={recording() && phase() !== "idle"}>
        <p class="muted small" role="status" data-testid="recording-status">
          Recording {clock((now() - startedAt()) / 1000)}: {formatBytes(recording()!.sentBytes)} saved so far (saved in pieces of {formatBytes(recording()!.partSize)})
          {recording()!.retrying ? "; connection lost: pieces wait and go when it is back" : ""}
        </p>
      </Show>
      <Show when={saved()}>
        <p class="small" role="status">
          The recording is saved: <Link href={`/lectures/${saved()}`}>watch it</Link>.
        </p>
      </Show>
      <FormAlert message={note()} />
    </div>
  );
}

function Watch() {
  const session = useRoom();
  const [stream, setStream] = createSignal<MediaStream | null>(null);
  const [muted, setMuted] = createSignal(true);
  const [note, setNote] = createSignal("");
  let video!: HTMLVideoElement;
  const viewer = new Viewer((s) => session.send({ action: "LIVE_SIGNAL", payload: s }), setStream);
  let whep: RTCPeerConnection | null = null;

  session.listen((m) => {
    if (m.responseType === "LIVE_SIGNAL") void viewer.handle(m.payload);
  });
  session.onError("live", (e) => setNote(e.error_message));
  createEffect(() => {
    const live = session.live();
    if (live?.provider === "stream" && live.whepUrl) {
      if (!whep) play(live.whepUrl, setStream).then((pc) => (whep = pc), () => setNote("The video could not start; reload to try again."));
      return;
    }
    viewer.follow(live?.peer ?? null);
  });
  // This viewer's own reconnect: the broadcaster dropped its old connection, so ask again.
  createEffect(
    on(session.status, (status, before) => {
      if (status === "joined" && before !== undefined && before !== "joined") viewer.retry();
    }),
  );
  createEffect(() => {
    video.srcObject = stream();
    if (stream()) void video.play().catch(() => undefined);
  });
  onCleanup(() => {
    viewer.hangUp();
    whep?.close();
  });

  return (
    <div class="watch">
      <p class="small">
        <span class="badge badge-live">Live</span> {session.live()?.by}
        <Show when={session.live()?.recording}> · recorded</Show>
        <Show when={session.live()?.peer === null}> · reconnecting…</Show>
      </p>
      <video ref={video} class="live-video" data-testid="live-video" playsinline autoplay muted={muted()} aria-label={`${session.live()?.by ?? "The teacher"}'s live video`} />
      <div class="row wrap small">
        <button onClick={() => setMuted(!muted())}>{muted() ? "Unmute" : "Mute"}</button>
        <button onClick={() => void video.requestFullscreen().catch(() => setNote("The browser would not show the video full screen."))}>Full screen</button>
        <Show when={"pictureInPictureEnabled" in document && document.pictureInPictureEnabled}>
          <button onClick={() => void video.requestPictureInPicture().catch(() => setNote("The browser would not pop the video out."))}>Pop out</button>
        </Show>
        {/* Staff may end anyone's broadcast: one left behind by a closed tab would otherwise stay on. */}
        <Show when={session.role === "Teacher"}>
          <button class="link danger" onClick={() => session.send({ action: "LIVE_STOP", payload: {} })}>
            End this broadcast
          </button>
        </Show>
      </div>
      <Show when={!stream() && !note()}>
        <p class="muted small">Connecting to the video…</p>
      </Show>
      <FormAlert message={note()} />
    </div>
  );
}
