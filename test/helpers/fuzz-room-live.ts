/**
 * Live video in the room fuzzer's oracle, from docs/protocol.md § Live video:
 * who is live and from which connection (peer ids, learned as the room
 * reveals them), who counts as a viewer, when each last said hello and since
 * when the broadcast is paused (as windows of time: the room's clock is read
 * between a frame's sending and its answer), and so exactly which frames a
 * LIVE_* request, a JOIN and a LEAVE send to whom. The fuzzer's room is an
 * ad-hoc room on the local provider: no recording, no Stream. Also the
 * payloads the fuzzer sends: mostly aimed at the peers the room really has
 * (the broadcaster, the viewers it heard from), and often not (its own
 * connection, a classmate, a peer no one has, a signal of the wrong shape).
 */
import { expect } from "vitest";
import { oddString, type Rng } from "./fuzz-gen";
import { FuzzSocket } from "./fuzz-room-driver";
import type { FrameContext } from "./fuzz-room-frames";
import type { Outcome, Seat } from "./fuzz-room-model";
import type { ValidFrame } from "./fuzz-room-spec";

/** docs/protocol.md § The viewer cap: the most viewers one broadcast serves on the local provider. */
const VIEWER_CAP = 25;
/** § The viewer cap: a connection's hello comes at least this long after its last. */
const HELLO_EVERY_MS = 5_000;
/** § Reconnecting while live: a broadcast whose broadcaster stays away longer than this ends. */
const PAUSE_LIMIT_MS = 2 * 60_000;
/** How long the fuzzer waits for an answer (fuzz-room.test.ts): in a run that passes, the room read the frame by then. */
const ANSWER_MS = 3_000;
/** § Peer ids: the room gives every connection 12 letters and digits. */
const PEER = /^[A-Za-z0-9]{12}$/;
const KINDS = ["hello", "offer", "answer", "candidate", "bye"] as const;
type Kind = (typeof KINDS)[number];
type Frame = Record<string, unknown>;

/**
 * When the room read a frame, as far as this side can tell: not before it
 * was sent, and not after its answers arrived (or, before they have, after
 * the fuzzer would have stopped waiting for them).
 */
interface When {
  from: number;
  to: number;
}
const reading = (): When => ({ from: FuzzSocket.lastSentAt, to: Date.now() + ANSWER_MS });

/** What live video needs of the room's model: who sits where, and who is joined, in join order. */
export interface Room {
  readonly seats: Seat[];
  readonly order: number[];
}

interface Broadcast {
  userId: string;
  by: string;
  /** The seat whose connection broadcasts; null while paused (its connection left). */
  seat: number | null;
  /** Unknown (any number) until a LIVE_STATE shows it. */
  startedAt: number | null;
  /** When its connection left, while paused. */
  pausedAt: When | null;
}

export class LiveModel {
  current: Broadcast | null = null;
  /** Each seat's peer id, once a frame has shown it; every seat keeps its one socket for the whole run. */
  private readonly peers = new Map<number, string>();
  /** Seats whose connection the room counts as a viewer (§ The viewer cap). */
  private readonly viewers = new Set<number>();
  /** When each seat's last hello was relayed, until it leaves or the broadcast ends. */
  private readonly hellos = new Map<number, When>();
  /** The broadcaster's peer id as last shown (still a viewer's target while paused, or after the end). */
  lastBroadcasterPeer: string | null = null;
  /** How far the run took live video, for the fuzzer's report. */
  readonly seen = { starts: 0, resumes: 0, stops: 0, pauses: 0, expired: 0, relayed: 0, throttled: 0, byes: 0 };

  constructor(private readonly room: Room) {}

  /** A seat's peer id: exact once learned, else any peer id. */
  peerOf(i: number): string {
    return this.peers.get(i) ?? (expect.stringMatching(PEER) as unknown as string);
  }

  /** Peer ids this model knows, by seat. */
  known(): [number, string][] {
    return [...this.peers];
  }

  summary(): string {
    const s = this.seen;
    return (
      `live: ${s.starts} broadcasts, ${s.resumes} resumes, ${s.pauses} pauses, ${s.expired} ended after a long pause, ${s.stops} stops, ` +
      `${s.relayed} signals relayed, ${s.throttled} hellos too soon, ${s.byes} byes for viewers leaving`
    );
  }

  /**
   * Whether a hello from seat `i`, generated now, gets a sure answer: none
   * before it, one surely 5 s back, or one so recent that even the latest
   * reading of this one falls inside the 5 s (with a second to spare).
   */
  helloIsSure(i: number, now = Date.now()): boolean {
    const last = this.hellos.get(i);
    return !last || now - last.to >= HELLO_EVERY_MS || this.helloTooSoon(i, now);
  }

  /** Whether a hello from seat `i`, generated now, surely comes less than 5 s after its last. */
  helloTooSoon(i: number, now = Date.now()): boolean {
    const last = this.hellos.get(i);
    return last !== undefined && now + 1_000 + ANSWER_MS - last.from < HELLO_EVERY_MS;
  }

  private learn(i: number, peer: unknown): void {
    expect(peer, "a peer id").toMatch(PEER);
    const known = this.peers.get(i);
    if (known !== undefined) expect(peer, "a connection keeps its peer id").toBe(known);
    for (const [x, other] of this.peers) if (x !== i) expect(peer, "peer ids are each connection's own").not.toBe(other);
    this.peers.set(i, peer as string);
  }

  private state(): Frame {
    const b = this.current;
    const live = b && {
      by: b.by,
      peer: b.seat === null ? null : this.peerOf(b.seat),
      startedAt: b.startedAt ?? expect.any(Number),
      provider: "local",
      whepUrl: null,
      recording: false,
    };
    return { responseType: "LIVE_STATE", payload: { live } };
  }

  /** LIVE_STATE to everyone joined. */
  private announce(out: Outcome): void {
    const frame = this.state();
    for (const x of this.room.order) add(out, x, frame);
  }

  private end(out: Outcome): void {
    this.current = null;
    this.viewers.clear();
    this.hellos.clear();
    this.announce(out);
  }

  /**
   * A paused broadcast its broadcaster left more than 2 minutes before the
   * frame being read ends first, for everyone (a JOIN, LIVE_START or
   * LIVE_SIGNAL finds it so). Near the limit either answer is possible: no
   * prediction, rather than a wrong one.
   */
  private expire(out: Outcome, now: When): void {
    const paused = this.current?.pausedAt;
    if (!paused || now.to - paused.from <= PAUSE_LIMIT_MS) return;
    if (now.from - paused.to <= PAUSE_LIMIT_MS) throw new Error("the fuzzer cannot tell whether this frame found the broadcast paused for more or less than 2 minutes");
    this.seen.expired += 1;
    this.end(out);
  }

  /**
   * A JOIN that succeeded: a broadcast left too long ends now (LIVE_STATE
   * `live: null` to everyone, the joiner after its JOIN answer); one still on
   * is the joiner's alone to hear of, paused included.
   */
  greet(): { everyone: Frame[]; joiner: Frame[] } {
    const before = this.current;
    this.expire({ frames: new Map() }, reading());
    return { everyone: before && !this.current ? [this.state()] : [], joiner: this.current ? [this.state()] : [] };
  }

  /**
   * A LEAVE of seat `i`, while it is still joined: the frames that come
   * before the LEAVE frames. The broadcasting connection's pauses the
   * broadcast (everyone, the leaver too, hears it); a counted viewer's sends
   * the broadcaster a `bye` in its name.
   */
  left(i: number): Outcome {
    const out: Outcome = { frames: new Map() };
    const b = this.current;
    if (!b) return out;
    if (b.seat === i) {
      const when = reading();
      b.seat = null;
      b.pausedAt = when;
      this.seen.pauses += 1;
      this.announce(out);
      out.commit = () => void (when.to = Date.now());
      return out;
    }
    this.hellos.delete(i);
    if (!this.viewers.delete(i) || b.seat === null) return out;
    this.seen.byes += 1;
    add(out, b.seat, { responseType: "LIVE_SIGNAL", payload: { from: this.peerOf(i), by: this.room.seats[i]!.name, kind: "bye" } });
    return out;
  }

  /** The answer to a LIVE_* frame that passed the gate (joined, not rate-limited). */
  decide(i: number, f: ValidFrame): Outcome {
    const seat = this.room.seats[i]!;
    const staff = seat.joined === "Teacher";
    const now = reading();
    const out: Outcome = { frames: new Map() };
    const refuse = (code: string, message: string): Outcome => {
      add(out, i, { responseType: "ERROR", payload: { error_message: message, code, action: f.action } });
      return out;
    };
    // LIVE_START and LIVE_SIGNAL first end a broadcast left too long (LIVE_STOP ends it anyway).
    if (f.action !== "LIVE_STOP") this.expire(out, now);
    const b = this.current;
    switch (f.action) {
      case "LIVE_START": {
        if (!staff) return refuse("FORBIDDEN", "Only teachers go live.");
        if (f.payload.resume === true) {
          if (!b) return refuse("NOT_FOUND", "That broadcast has ended; go live again.");
          if (b.userId !== seat.userId) return refuse("FORBIDDEN", `${b.by} is live now, not you.`);
          b.seat = i;
          b.pausedAt = null;
          // The new connection starts afresh: nobody is counted, and every viewer may say hello to it at once.
          this.viewers.clear();
          this.hellos.clear();
          this.seen.resumes += 1;
        } else {
          if (b && b.userId !== seat.userId) return refuse("FORBIDDEN", `${b.by} is live already; end that broadcast first.`);
          // The sender's own broadcast (live or paused) ends, and a new one starts with no viewers
          // and no hellos remembered.
          this.current = { userId: seat.userId, by: seat.name, seat: i, startedAt: null, pausedAt: null };
          this.viewers.clear();
          this.hellos.clear();
          this.seen.starts += 1;
        }
        // LIVE_STARTED to the sender first: an ad-hoc room records nothing, and there is no Stream.
        add(out, i, { responseType: "LIVE_STARTED", payload: { recording: null, problem: null, whipUrl: null } });
        this.announce(out);
        const started = this.current!;
        out.commit = (got) => {
          const states = (got.get(i) ?? []).filter((g) => g.responseType === "LIVE_STATE") as { payload: { live: { peer: string; startedAt: number } | null } }[];
          const live = states.at(-1)!.payload.live!;
          this.learn(i, live.peer);
          this.lastBroadcasterPeer = live.peer;
          if (started.startedAt === null) started.startedAt = live.startedAt;
          else expect(live.startedAt, "a resume keeps startedAt").toBe(started.startedAt);
        };
        return out;
      }
      case "LIVE_STOP": {
        if (!staff) return refuse("FORBIDDEN", "Only teachers end a broadcast.");
        if (!b) return refuse("NOT_FOUND", "No one is live in this room.");
        this.seen.stops += 1;
        this.end(out);
        return out;
      }
      case "LIVE_SIGNAL": {
        const p = f.payload as { to: string; kind: Kind; sdp?: string; candidate?: Record<string, unknown> };
        if (!b) return refuse("NOT_FOUND", "No one is live in this room.");
        if (b.seat === null) return refuse("NOT_FOUND", "The broadcaster is reconnecting; try again in a moment.");
        let target: number | undefined;
        if (i === b.seat) {
          if (p.to === this.peers.get(i)) return refuse("FORBIDDEN", "That is your own connection.");
          // Any connection joined now; a peer id this model has not seen is no one's (the room's are 12
          // characters, the fuzzer's made-up ones are not).
          target = this.room.order.find((x) => this.peers.get(x) === p.to);
        } else {
          if (p.to !== this.peers.get(b.seat)) return refuse("FORBIDDEN", "Viewers signal only the broadcaster.");
          const last = this.hellos.get(i);
          if (p.kind === "hello" && last) {
            // The payloads only say hello when the answer is sure (helloIsSure).
            if (now.to - last.from < HELLO_EVERY_MS) {
              this.seen.throttled += 1;
              return refuse("RATE_LIMITED", "You asked for the video a moment ago; the teacher's answer is on its way.");
            }
            if (now.from - last.to < HELLO_EVERY_MS) throw new Error("the fuzzer cannot tell whether this hello came 5 s after the last");
          }
          if (p.kind === "hello" && !this.viewers.has(i) && this.viewers.size >= VIEWER_CAP) {
            return refuse("FORBIDDEN", `This broadcast already has ${VIEWER_CAP} viewers, the most a teacher's browser serves; the class needs Cloudflare Stream for more.`);
          }
          target = b.seat;
        }
        if (target === undefined) return refuse("NOT_FOUND", "That connection has left the room.");
        // The room counts whoever says hello (but never the broadcaster, should it), and forgets who hangs up.
        if (p.kind === "hello" && i !== b.seat) {
          this.viewers.add(i);
          this.hellos.set(i, now);
        }
        if (p.kind === "bye") this.viewers.delete(i === b.seat ? target : i);
        this.seen.relayed += 1;
        // Relayed as sent, as JSON carries it (-0 arrives as 0).
        const sent = JSON.parse(JSON.stringify({ ...(p.sdp !== undefined ? { sdp: p.sdp } : {}), ...(p.candidate ? { candidate: p.candidate } : {}) })) as Frame;
        add(out, target, { responseType: "LIVE_SIGNAL", payload: { from: this.peerOf(i), by: seat.name, kind: p.kind, ...sent } });
        const to = target;
        out.commit = (got) => {
          if (p.kind === "hello") now.to = Date.now();
          this.learn(i, (got.get(to)!.at(-1)!.payload as { from: string }).from);
        };
        return out;
      }
      default:
        throw new Error(`not a live video action: ${f.action}`);
    }
  }
}

function add(out: Outcome, x: number, frame: unknown): void {
  out.frames.set(x, [...(out.frames.get(x) ?? []), frame]);
}

// ------------------------------------------------------------------ payloads

const SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

/** A peer id no connection has: a room's are 12 characters, these 8 or 20. */
const madeUp = (rng: Rng) => rng.word(rng.chance(0.5) ? 8 : 20);

/** An ICE candidate as RTCIceCandidate.toJSON() gives it; now and then at or past a limit, or with a field too many. */
function someCandidate(rng: Rng): Record<string, unknown> {
  const c: Record<string, unknown> = { candidate: `candidate:${rng.int(9)} 1 udp 2122260223 127.0.0.1 ${50000 + rng.int(1000)} typ host` };
  if (rng.chance(0.8)) c.sdpMid = rng.pick(["0", "1", null, "video"]);
  if (rng.chance(0.8)) c.sdpMLineIndex = rng.pick([0, 1, null, 64, -0]);
  if (rng.chance(0.4)) c.usernameFragment = rng.pick(["aB3d", null, oddString(rng)]);
  const roll = rng.next();
  if (roll < 0.04) c.candidate = "x".repeat(2048 + rng.int(2));
  else if (roll < 0.06) c.sdpMLineIndex = rng.pick([65, 1.5, -1]);
  else if (roll < 0.08) c.extra = 1;
  else if (roll < 0.1) c.sdpMid = "m".repeat(64 + rng.int(2));
  return c;
}

/** A payload for one of the live video actions, sent as this seat. */
export function livePayload(c: FrameContext, action: "LIVE_START" | "LIVE_STOP" | "LIVE_SIGNAL"): Record<string, unknown> {
  const { rng, model, seat } = c;
  const live = model.live;
  const me = model.seats.indexOf(seat);
  const b = live.current;
  // LIVE_STOP is `{}`. Staff would end every broadcast a few frames after it began: while one is on,
  // theirs is mostly malformed (a field it does not have), so viewers get time to connect and leave.
  if (action === "LIVE_STOP") return b && seat.joined === "Teacher" && rng.chance(0.75) ? { [rng.pick(["reason", "peer", "resume"])]: rng.pick([true, "now", null]) } : {};
  if (action === "LIVE_START") {
    // LIVE_START draws from the presence bucket, with JOIN and LEAVE, refused or not: a student's is
    // mostly malformed twice over (so still refused before the bucket when a mutation drops a field),
    // or students would keep themselves out of the room.
    if (seat.joined !== "Teacher" && seat.name !== "Host" && rng.chance(0.75)) return { resume: rng.pick(["yes", 1, null]), camera: true };
    // Mostly going live; the broadcaster mostly resumes (after its connection left, or from the same one:
    // a new broadcast would forget the viewers, who then could not leave with a bye).
    const mine = b !== null && b.userId === seat.userId;
    const resume = !mine ? 0.1 : b.seat === null ? 0.8 : 0.5;
    const roll = rng.next();
    // `record` changes nothing in an ad-hoc room: nothing is recorded there.
    const record = rng.chance(0.2) ? { record: rng.chance(0.5) } : {};
    return roll < resume ? { resume: true, ...record } : roll < resume + 0.1 ? { resume: false, ...record } : record;
  }
  const known = live.known();
  const own = known.find(([x]) => x === me)?.[1];
  const others = known.filter(([x]) => x !== me).map(([, peer]) => peer);
  const broadcasting = b !== null && b.seat === me;
  let to: string;
  const roll = rng.next();
  if (broadcasting) to = roll < 0.8 && others.length ? rng.pick(others) : roll < 0.9 && own ? own : madeUp(rng);
  else to = roll < 0.8 && live.lastBroadcasterPeer ? live.lastBroadcasterPeer : roll < 0.9 && (others.length || own) ? rng.pick([...others, ...(own ? [own] : [])]) : madeUp(rng);
  // A viewer mostly says hello, answers and sends candidates; the broadcaster offers and sends candidates.
  let kind: Kind = broadcasting
    ? rng.pick(["offer", "offer", "candidate", "candidate", "bye", "hello"])
    : rng.pick(["hello", "hello", "answer", "candidate", "candidate", "bye"]);
  // Right after a hello, often another (refused: too soon); one close to 5 s after could go either way: a candidate instead.
  if (!broadcasting && live.helloTooSoon(me) && rng.chance(0.5)) kind = "hello";
  if (kind === "hello" && !broadcasting && !live.helloIsSure(me)) kind = "candidate";
  const payload: Record<string, unknown> = { to, kind };
  if (kind === "offer" || kind === "answer") payload.sdp = rng.chance(0.97) ? SDP : "s".repeat(64 * 1024 + rng.int(2));
  if (kind === "candidate") payload.candidate = someCandidate(rng);
  // Now and then a signal of the wrong shape: an sdp or a candidate with the wrong kind, or none with its own.
  if (rng.chance(0.06)) {
    const odd = rng.int(3);
    if (odd === 0) payload.sdp = SDP;
    else if (odd === 1) payload.candidate = someCandidate(rng);
    else delete payload[kind === "candidate" ? "candidate" : "sdp"];
  }
  return payload;
}
