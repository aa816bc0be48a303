/**
 * Live video from the room (protocol/live.ts): the broadcast's state, kept
 * in the room's SQLite so a broadcaster's reconnect or an eviction does not
 * end it; the relay of WebRTC signals between the broadcaster and each
 * viewer (local provider); and, in a class room, the recording's lecture.
 */
import { parseRoomId, type LiveState, type RequestOf } from "../../protocol";
import { abandonRecording, startRecording } from "../lectures/recording";
import { liveInputs } from "../lectures/videos";
import type { Caller, Outcome } from "./actions";
import { abandoned, decideSignal, decideStart, decideStop, type Broadcast } from "./live-rules";
import { reject } from "./rules";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

interface LiveRow extends Record<string, SqlStorageValue> {
  user_id: string;
  by_name: string;
  peer: string | null;
  started_at: number;
  provider: string;
  whep_url: string | null;
  whip_url: string | null;
  live_input: string | null;
  recording: string | null;
}

export class RoomLive {
  /** Cached after the first read; undefined until then. */
  private current: Broadcast | null | undefined;
  /** Peers that asked for the video (hello) and have not left, for the viewer cap. In memory: after an eviction viewers say hello again. */
  private readonly viewers = new Set<string>();
  /** When each peer last said hello. */
  private readonly hellos = new Map<string, number>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly env: Env,
  ) {}

  private live(): Broadcast | null {
    if (this.current !== undefined) return this.current;
    // A room never created has no tables, and no broadcast (its sockets only ever hear ROOM_NOT_FOUND).
    if (!this.store.room()) return null;
    const row = this.sql.exec<LiveRow>("SELECT * FROM live").toArray()[0];
    this.current = row
      ? {
          userId: row.user_id,
          by: row.by_name,
          peer: row.peer,
          startedAt: row.started_at,
          provider: row.provider === "stream" ? "stream" : "local",
          whepUrl: row.whep_url,
          whipUrl: row.whip_url,
          liveInput: row.live_input,
          ...(JSON.parse(row.recording ?? '{"recording":null,"problem":null}') as Pick<Broadcast, "recording" | "problem" | "pausedAt">),
        }
      : null;
    return this.current;
  }

  private save(b: Broadcast | null): void {
    this.current = b;
    if (!b) {
      this.sql.exec("DELETE FROM live");
      return;
    }
    this.sql.exec(
      `INSERT INTO live (id, user_id, by_name, peer, started_at, provider, whep_url, whip_url, live_input, recording) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, by_name = excluded.by_name, peer = excluded.peer, started_at = excluded.started_at,
         provider = excluded.provider, whep_url = excluded.whep_url, whip_url = excluded.whip_url, live_input = excluded.live_input, recording = excluded.recording`,
      b.userId,
      b.by,
      b.peer,
      b.startedAt,
      b.provider,
      b.whepUrl,
      b.whipUrl,
      b.liveInput,
      JSON.stringify({ recording: b.recording, problem: b.problem, pausedAt: b.pausedAt ?? null }),
    );
  }

  private view(b: Broadcast | null): LiveState | null {
    return b && { by: b.by, peer: b.peer, startedAt: b.startedAt, provider: b.provider, whepUrl: b.whepUrl, recording: b.recording !== null };
  }

  private announce(): void {
    this.sockets.broadcast({ responseType: "LIVE_STATE", payload: { live: this.view(this.live()) } });
  }

  private tellBroadcaster(ws: WebSocket, b: Broadcast): void {
    this.sockets.send(ws, { responseType: "LIVE_STARTED", payload: { recording: b.recording, problem: b.problem, whipUrl: b.whipUrl } });
  }

  readonly start = async ({ ws, self, roomId, now }: Caller, { payload }: RequestOf<"LIVE_START">): Promise<Outcome> => {
    const room = this.store.room();
    await this.expire(now);
    const before = this.live();
    const decision = decideStart(self, room?.kind ?? "adhoc", before, payload.resume === true);
    if (!decision.ok) return decision;
    const peer = this.sockets.attachment(ws).peer!;
    if (decision.resume) {
      this.save({ ...before!, peer, pausedAt: null });
      // Viewers ask the new connection afresh: their earlier hellos went to the old one.
      this.hellos.clear();
      this.viewers.clear();
      this.tellBroadcaster(ws, this.live()!);
      return this.announce();
    }
    const inputs = liveInputs(this.env);
    let input: { uid: string; whipUrl: string; whepUrl: string } | null = null;
    if (inputs) {
      try {
        input = await inputs.open(`${room?.title ?? "Class"} (${roomId})`);
      } catch (error) {
        console.error("live: Stream live input failed", error);
        return reject("INTERNAL", "Cloudflare Stream did not open a live input; try again.");
      }
    }
    const ref = parseRoomId(roomId);
    const courseId = this.sockets.attachment(ws).verified.courseId;
    // Titled by the class and when it began (UTC: the room does not know the course's time zone), so recordings tell apart.
    const when = new Date(now).toISOString().slice(0, 16).replace("T", " ");
    const recorded =
      ref.kind === "class" && courseId && payload.record !== false
        ? await startRecording(this.env, { courseId, classId: ref.classId, roomId, title: `${room?.title ?? "Class"}, ${when} UTC`, userId: self.userId, recordedAt: now })
        : { recording: null, problem: null };
    // The awaits above let other frames in: another teacher may have gone live meanwhile. Theirs stands; ours is undone.
    const current = this.live();
    if (current && current !== before && current.userId !== self.userId) {
      if (input) await inputs!.close(input.uid).catch(() => undefined);
      if (recorded.recording) await abandonRecording(this.env, recorded.recording);
      return reject("FORBIDDEN", `${current.by} is live already; end that broadcast first.`);
    }
    // Only now, with the new one ready, is the broadcast it replaces closed (a failure above leaves it as it was).
    if (current) {
      await this.endStream(current);
      if (current.recording) await abandonRecording(this.env, current.recording);
    }
    this.viewers.clear();
    this.hellos.clear();
    this.save({
      userId: self.userId,
      by: self.username,
      peer,
      startedAt: now,
      provider: input ? "stream" : "local",
      whepUrl: input?.whepUrl ?? null,
      whipUrl: input?.whipUrl ?? null,
      liveInput: input?.uid ?? null,
      recording: recorded.recording,
      problem: recorded.recording ? null : (recorded as { problem: string | null }).problem,
    });
    this.tellBroadcaster(ws, this.live()!);
    this.announce();
  };

  readonly stop = async ({ self }: Caller): Promise<Outcome> => {
    const refused = decideStop(self, this.live());
    if (refused) return refused;
    await this.end();
  };

  /** Ends the broadcast for everyone (its recording is its broadcaster's browser's to finish). */
  private async end(): Promise<void> {
    const live = this.live();
    if (!live) return;
    this.save(null);
    this.viewers.clear();
    this.hellos.clear();
    this.announce();
    await this.endStream(live);
  }

  /** Ends a broadcast whose broadcaster has not come back in time. */
  private async expire(now: number): Promise<void> {
    if (abandoned(this.live(), now)) await this.end();
  }

  /** Someone taken out of the room (their role changed, they were removed): a broadcast of theirs ends with them. */
  async endFor(userId: string): Promise<void> {
    if (this.live()?.userId === userId) await this.end();
  }

  readonly signal = async ({ ws, now }: Caller, { payload: p }: RequestOf<"LIVE_SIGNAL">): Promise<Outcome> => {
    await this.expire(now);
    const from = this.sockets.attachment(ws);
    const refused = decideSignal(from.peer!, this.live(), p, this.viewers, this.hellos.get(from.peer!), now);
    if (refused) return refused;
    const target = this.sockets.byPeer(p.to);
    if (!target) return reject("NOT_FOUND", "That connection has left the room.");
    // The broadcaster's own signals (even a stray hello) never make it a viewer of itself.
    if (p.kind === "hello" && from.peer !== this.live()!.peer) {
      this.viewers.add(from.peer!);
      this.hellos.set(from.peer!, now);
    }
    if (p.kind === "bye") this.viewers.delete(from.peer === this.live()!.peer ? p.to : from.peer!);
    this.sockets.send(target, {
      responseType: "LIVE_SIGNAL",
      payload: { from: from.peer!, by: from.participant!.username, kind: p.kind, ...(p.sdp !== undefined ? { sdp: p.sdp } : {}), ...(p.candidate ? { candidate: p.candidate } : {}) },
    });
  };

  /** Tells a joiner about the broadcast, if one is on. */
  readonly greet = (ws: WebSocket): void => {
    if (abandoned(this.live(), Date.now())) void this.end();
    const live = this.live();
    if (live) this.sockets.send(ws, { responseType: "LIVE_STATE", payload: { live: this.view(live) } });
  };

  /**
   * A connection left (closed, or LEAVE): the broadcaster's pauses the
   * broadcast until it resumes; a viewer's tells the broadcaster to hang up
   * on it.
   */
  left(ws: WebSocket): void {
    const live = this.live();
    const { peer, participant, verified } = this.sockets.attachment(ws);
    if (!live || !peer) return;
    if (live.peer === peer) {
      this.save({ ...live, peer: null, pausedAt: Date.now() });
      this.announce();
      return;
    }
    this.hellos.delete(peer);
    if (!this.viewers.delete(peer) || live.peer === null) return;
    const broadcaster = this.sockets.byPeer(live.peer);
    if (broadcaster) this.sockets.send(broadcaster, { responseType: "LIVE_SIGNAL", payload: { from: peer, by: participant?.username ?? verified.name, kind: "bye" } });
  }

  private async endStream(b: Broadcast): Promise<void> {
    const inputs = liveInputs(this.env);
    if (!b.liveInput || !inputs) return;
    await inputs.close(b.liveInput).catch((error: unknown) => console.error("live: deleting the live input failed", error));
  }
}
