/**
 * The WebRTC side of a live broadcast on the local provider: the
 * broadcaster keeps one peer connection per viewer and offers it the
 * stream; a viewer says hello, answers, and plays what arrives. The room
 * relays every offer, answer and ICE candidate (LIVE_SIGNAL); the media
 * goes browser to browser. https://developer.mozilla.org/docs/Web/API/WebRTC_API/Signaling_and_video_calling
 */
import type { ResponseOf } from "../../../../protocol";

type Signal = ResponseOf<"LIVE_SIGNAL">["payload"];
type Candidate = NonNullable<Signal["candidate"]>;
/** Sends one LIVE_SIGNAL; false when the room connection is down. */
export type SendSignal = (signal: { to: string; kind: Signal["kind"]; sdp?: string; candidate?: Candidate }) => boolean;

/**
 * STUN finds a public address behind NAT; Cloudflare runs a free one. On
 * this machine (127.0.0.1) there is no internet, and host candidates are enough.
 * https://developers.cloudflare.com/realtime/turn/ (stun.cloudflare.com)
 */
export function iceServers(): RTCIceServer[] {
  return ["127.0.0.1", "localhost", "[::1]"].includes(location.hostname) ? [] : [{ urls: "stun:stun.cloudflare.com:3478" }];
}

/** Audio and video over one transport: half the ICE candidates to signal, one connection to set up. */
export const rtcConfig = (): RTCConfiguration => ({ iceServers: iceServers(), bundlePolicy: "max-bundle" });

function candidateOf(c: RTCIceCandidate): Candidate {
  return { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment };
}

/** The teacher's side: one connection per viewer, each offered the same stream. */
export class Broadcaster {
  private readonly peers = new Map<string, RTCPeerConnection>();
  onViewers: (count: number) => void = () => {};

  constructor(
    private readonly stream: MediaStream,
    private readonly send: SendSignal,
  ) {}

  get viewers(): number {
    return this.peers.size;
  }

  /** Signals are handled one at a time, in order: a candidate must not overtake the answer it belongs to. */
  private queue = Promise.resolve();

  handle(s: Signal): Promise<void> {
    this.queue = this.queue.then(() => this.process(s)).catch(() => undefined);
    return this.queue;
  }

  private async process(s: Signal): Promise<void> {
    if (s.kind === "hello") return this.offer(s.from);
    const pc = this.peers.get(s.from);
    if (!pc) return;
    if (s.kind === "answer" && s.sdp) await pc.setRemoteDescription({ type: "answer", sdp: s.sdp }).catch(() => this.drop(s.from));
    else if (s.kind === "candidate" && s.candidate) await pc.addIceCandidate(s.candidate).catch(() => undefined);
    else if (s.kind === "bye") this.drop(s.from);
  }

  /** A new viewer (or one asking again after its own reconnect): a fresh connection with the stream. */
  private async offer(viewer: string): Promise<void> {
    this.drop(viewer);
    const pc = new RTCPeerConnection(rtcConfig());
    this.peers.set(viewer, pc);
    this.onViewers(this.peers.size);
    for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);
    pc.onicecandidate = (e) => {
      if (e.candidate) this.send({ to: viewer, kind: "candidate", candidate: candidateOf(e.candidate) });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed" || pc.connectionState === "closed") this.drop(viewer);
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.send({ to: viewer, kind: "offer", sdp: offer.sdp! });
  }

  private drop(viewer: string): void {
    const pc = this.peers.get(viewer);
    if (!pc) return;
    this.peers.delete(viewer);
    pc.close();
    this.onViewers(this.peers.size);
  }

  /** Bytes sent to all viewers so far (the bench reads this per viewer count). */
  async bytesSent(): Promise<number> {
    let total = 0;
    for (const pc of this.peers.values()) {
      (await pc.getStats()).forEach((report: { type: string; bytesSent?: number }) => {
        if (report.type === "outbound-rtp") total += report.bytesSent ?? 0;
      });
    }
    return total;
  }

  close(): void {
    for (const viewer of [...this.peers.keys()]) {
      this.send({ to: viewer, kind: "bye" });
      this.drop(viewer);
    }
  }
}

/** A viewer's side: says hello to the broadcaster, answers its offer, and hands over the stream it plays. */
export class Viewer {
  private pc: RTCPeerConnection | null = null;
  private broadcaster: string | null = null;

  constructor(
    private readonly send: SendSignal,
    private readonly onStream: (stream: MediaStream | null) => void,
  ) {}

  /** Follows the broadcast: a new broadcaster connection (start, resume) means asking again. */
  follow(peer: string | null): void {
    if (peer === this.broadcaster) return;
    this.hangUp(false);
    this.broadcaster = peer;
    if (peer) this.send({ to: peer, kind: "hello" });
  }

  /** Asks again on the same broadcaster (after this viewer's own reconnect). */
  retry(): void {
    const peer = this.broadcaster;
    this.broadcaster = null;
    this.follow(peer);
  }

  /** In order, like the broadcaster's: candidates that arrive while the offer is applied wait for it. */
  private queue = Promise.resolve();

  handle(s: Signal): Promise<void> {
    this.queue = this.queue.then(() => this.process(s)).catch(() => undefined);
    return this.queue;
  }

  private async process(s: Signal): Promise<void> {
    if (s.from !== this.broadcaster) return;
    if (s.kind === "offer" && s.sdp) {
      this.pc?.close();
      const pc = (this.pc = new RTCPeerConnection(rtcConfig()));
      pc.ontrack = (e) => this.onStream(e.streams[0] ?? new MediaStream([e.track]));
      pc.onicecandidate = (e) => {
        if (e.candidate) this.send({ to: s.from, kind: "candidate", candidate: candidateOf(e.candidate) });
      };
      await pc.setRemoteDescription({ type: "offer", sdp: s.sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.send({ to: s.from, kind: "answer", sdp: answer.sdp! });
    } else if (s.kind === "candidate" && s.candidate) {
      await this.pc?.addIceCandidate(s.candidate).catch(() => undefined);
    } else if (s.kind === "bye") {
      this.hangUp(false);
    }
  }

  hangUp(tell = true): void {
    if (tell && this.broadcaster) this.send({ to: this.broadcaster, kind: "bye" });
    this.pc?.close();
    this.pc = null;
    this.onStream(null);
  }
}
