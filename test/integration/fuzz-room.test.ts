/**
 * Fuzzes a live room: thousands of valid and mutated frames from several
 * signed-in users, one at a time, each answered exactly as docs/protocol.md
 * says (an oracle written from the doc predicts every frame every socket
 * receives, the live documents' changes, snapshots, cursors and marks
 * included), while a well-behaved student keeps chatting and running code,
 * and rejected frames leave the stored chat and board as they were.
 * VITE_FUZZ_SEED=<n> replays a run; VITE_FUZZ_FRAMES=<n> changes its length.
 * Pass --no-fsModuleCache with either: Vitest's module cache keeps a file as
 * first transformed, with the values it read then. A replay starts with the
 * same frames, and drifts where the rate limits (which depend on timing)
 * answer differently.
 */
import { describe, expect, it } from "vitest";
import { BYTE_BUDGET, FRAME_BUDGET } from "../../worker/room/gate";
import { RATE_CLASSES, type RateClass } from "../../worker/room/actions";
import { createRoom } from "../helpers/client";
import { Rng, fuzzSeed } from "../helpers/fuzz-gen";
import { BucketBound, FuzzSocket, preview, sleep, type Received } from "../helpers/fuzz-room-driver";
import { mutateFrame, serialise, validFrame } from "../helpers/fuzz-room-frames";
import { RoomModel, type Seat } from "../helpers/fuzz-room-model";
import { ACTIONS_IN_DOC, judgeFrame, wellFormed, type Action, type ValidFrame } from "../helpers/fuzz-room-spec";
import { signUp, type Account } from "../helpers/users";

const SEED = fuzzSeed();
const FRAMES = Number((import.meta as { env?: Record<string, string> }).env?.VITE_FUZZ_FRAMES ?? 10_000);
const FUZZERS = 8;

const RATE_OF: Record<Action, RateClass | null> = {
  JOIN: "presence", LEAVE: "presence", RUN: "code", SHARE: "code", CHAT: "messages", CHAT_EDIT: "messages", CHAT_DELETE: "messages",
  MUTE: null, HISTORY: "reads", ASK: "messages", VOTE: "messages", ANSWER: null, QUESTION_DELETE: "messages", HAND_RAISE: "messages", HAND_WITHDRAW: "messages",
  HAND_CLAIM: null, HAND_RESOLVE: null, BOARD: "reads",
  DOC_SUBSCRIBE: "views", DOC_PUSH: "typing", DOC_PULL: "typing", DOC_MODE: null, DOC_HISTORY: "views", DOC_CURSOR: "typing",
  LIVE_START: "presence", LIVE_STOP: null, LIVE_SIGNAL: "signals",
};

/** What the room takes from every frame before reading it, past which it closes the socket: one frame, and its length. */
type Budget = "frames" | "bytes";

interface Player {
  seat: Seat;
  account: Account;
  socket: FuzzSocket;
  buckets: Map<RateClass | Budget, BucketBound>;
}

/** Frames for a failure message, matchers by name (`Any<Number>`). */
function json(frames: unknown): string {
  const named = (_key: string, v: unknown) => (typeof (v as { asymmetricMatch?: unknown })?.asymmetricMatch === "function" ? String((v as { toAsymmetricMatcher?: () => string }).toAsymmetricMatcher?.() ?? v) : v);
  return JSON.stringify(frames, named).slice(0, 3000);
}

/** Frames of one JOIN answer's teacher catch-up may tie on sharedAt: compare them in a fixed order. */
function ordered(frames: unknown[]): unknown[] {
  const key = (f: unknown) => {
    const x = f as { responseType?: string; seq?: unknown; payload?: { sharedAt?: number; from?: string } };
    return x.responseType === "SHARE" && x.seq === undefined ? `${x.payload?.sharedAt}|${x.payload?.from}` : null;
  };
  const shares = frames.filter((f) => key(f) !== null).sort((a, b) => String(key(a)).localeCompare(String(key(b))));
  let k = 0;
  return frames.map((f) => (key(f) !== null ? shares[k++] : f));
}

/**
 * HISTORY's `muted` is in muting order, and two mutes can share a millisecond:
 * compare it as a set; DOC_ACTIVITY lists documents in no particular order.
 * A JOIN answer's `you` is the joiner's own name here (every fuzzing account
 * has its own): checked, then set aside.
 */
function normalised(frame: Received, name?: string): Received {
  const p = frame.payload as { muted?: string[]; you?: string; docs?: { doc: string }[] } | undefined;
  if (frame.responseType === "DOC_ACTIVITY" && Array.isArray(p?.docs)) return { ...frame, payload: { ...p, docs: [...p.docs].sort((a, b) => (a.doc < b.doc ? -1 : 1)) } };
  if (frame.responseType === "JOIN" && p?.you !== undefined && p.you === name) {
    const { you: _, ...rest } = p;
    return { ...frame, payload: rest };
  }
  if (frame.responseType === "HISTORY" && Array.isArray(p?.muted)) return { ...frame, payload: { ...p, muted: [...p.muted].sort() } };
  return frame;
}

describe("room fuzzing", () => {
  it(`answers ${FRAMES} random and mutated frames as the protocol says (seed ${SEED})`, { timeout: 180_000 }, async () => {
    const rng = new Rng(SEED);
    const host = await signUp("Host");
    const { roomId, teacherToken } = await createRoom("Fuzz", host);
    const accounts = [host, await signUp("Watcher"), ...(await Promise.all(Array.from({ length: FUZZERS }, (_, i) => signUp(`Fuzz${i + 1}`))))];
    const seats: Seat[] = accounts.map((a) => ({ userId: a.user.id, name: a.user.name, joined: null }));
    const model = new RoomModel(roomId, teacherToken, seats);
    const start = Date.now();
    const players: Player[] = await Promise.all(
      accounts.map(async (account, i) => {
        const buckets = new Map<RateClass | Budget, BucketBound>([
          ["frames", new BucketBound(FRAME_BUDGET.burst, FRAME_BUDGET.perSecond, start)],
          ["bytes", new BucketBound(BYTE_BUDGET.burst, BYTE_BUDGET.perSecond, start)],
        ]);
        for (const [name, limit] of Object.entries(RATE_CLASSES)) buckets.set(name as RateClass, new BucketBound(limit.burst, limit.perSecond, start));
        return { seat: seats[i]!, account, socket: await FuzzSocket.open(roomId, account), buckets };
      }),
    );
    const [teacher, watcher] = players as [Player, Player];
    const fuzzers = [teacher, ...players.slice(2)];
    /** When each fuzzer last sent a valid RUN (the quota is per account, not per socket). */
    const runsAt = new Map<(typeof fuzzers)[number], number[]>();
    const names = [...seats.filter((s) => s !== watcher.seat).map((s) => s.name), "Nobody"];
    let sent = 0;
    let answers = 0;
    let limitedSeen = 0;
    const codes = new Map<string, number>();

    const fail = (step: number, who: Player, raw: string | ArrayBuffer, error: unknown): never => {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`room fuzz failed (VITE_FUZZ_SEED=${SEED}, frame ${step}, from ${who.seat.name}): sent ${preview(raw)}\n${detail}`);
    };

    /** Waits until the room surely has `spare` frames and `size` characters of this account's budgets: past them it closes the socket. */
    const afford = async (who: Player, size: number, spare: number): Promise<number> => {
      const now = Date.now();
      const wait = Math.max(who.buckets.get("frames")!.waitFor(spare, now), who.buckets.get("bytes")!.waitFor(size, now));
      if (wait > 0) await sleep(wait);
      return Date.now();
    };
    const spend = (who: Player, at: number, size: number) => {
      who.buckets.get("frames")!.spend(at, Date.now(), true);
      who.buckets.get("bytes")!.spend(at, Date.now(), true, size);
    };

    /** Sends one frame and checks every socket receives exactly what the oracle says. */
    const step = async (who: Player, raw: string | ArrayBuffer, timeoutMs = 3_000): Promise<Received[]> => {
      // docs/protocol.md § Rate limit: counted in characters, and a frame over the 1 MiB cap as 1 MiB (it is refused unread).
      const size = Math.min(1024 * 1024, typeof raw === "string" ? wellFormed(raw).length : raw.byteLength);
      const at = await afford(who, size, 2);
      const verdict = judgeFrame(raw);
      sent += 1;
      who.socket.send(raw);
      try {
        if (!verdict.ok) {
          const [got] = await who.socket.take(1, timeoutMs);
          answers += got ? 1 : 0;
          const action = verdict.code === "FRAME_TOO_LARGE" && got && "action" in ((got.payload as object) ?? {}) ? { action: verdict.tooLargeAction } : {};
          const echoed = { ...(verdict.action ? { action: verdict.action } : {}), ...(verdict.clientId ? { clientId: verdict.clientId } : {}), ...action };
          expect(got, `answer: ${JSON.stringify(got)?.slice(0, 500)}`).toEqual({ responseType: "ERROR", payload: { error_message: expect.any(String), code: verdict.code, ...echoed } });
          codes.set(verdict.code, (codes.get(verdict.code) ?? 0) + 1);
          spend(who, at, size);
          return got ? [got] : [];
        }
        const frame: ValidFrame = verdict.frame;
        const rate = RATE_OF[frame.action];
        const exempt = rate === "code" && who.seat.joined === "Teacher";
        const bucket = rate && !exempt ? who.buckets.get(rate)! : null;
        let limited = false;
        if (bucket && bucket.surely(at) < 1) {
          // Maybe refilled, maybe not: the room's first answer tells which; only then is RATE_LIMITED correct.
          const [peek] = await who.socket.take(1, 400);
          if (peek) who.socket.inbox.unshift(peek);
          const p = peek?.payload as { code?: string } | undefined;
          limited = peek?.responseType === "ERROR" && p?.code === "RATE_LIMITED";
        }
        const outcome = model.decide(players.indexOf(who), frame, limited, rate ? RATE_CLASSES[rate].error_message : "");
        const got = new Map<number, Received[]>();
        for (const [index, expected] of outcome.frames) {
          const slow = frame.action === "RUN" && index === players.indexOf(who);
          const received = await players[index]!.socket.take(expected.length, slow ? 20_000 : timeoutMs);
          answers += received.length;
          const shown = ordered(received.map((r) => normalised(r, players[index]!.seat.name)));
          const want = ordered(expected.map((e) => normalised(e as Received)));
          expect(shown, `frames to ${players[index]!.seat.name}: ${json(shown)}\nexpected: ${json(want)}`).toEqual(want);
          got.set(index, received);
        }
        // A frame the oracle did not foresee for anyone else has usually arrived by now: name it here, not at its receiver's next frame.
        for (const p of players) expect(p.socket.inbox, `unforeseen frames to ${p.seat.name}: ${json(p.socket.inbox)}`).toEqual([]);
        outcome.commit?.(got);
        const first = got.get(players.indexOf(who))?.[0];
        const code = first?.responseType === "ERROR" ? (first.payload as { code: string }).code : first?.responseType ?? "(nothing)";
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === "RATE_LIMITED") limitedSeen += 1;
        spend(who, at, size);
        // A token is drawn from step 5 on, refused or not, unless the bucket was empty.
        if (bucket) bucket.spend(at, Date.now(), !limited);
        if (!first) {
          // Nothing came back (a cursor, a subscription with nothing new, a vote that changes nothing): a frame
          // the room must answer, on the same socket, shows this one was handled before another socket sends,
          // so what it changed (a smaller set of documents, say) cannot land after the next frame.
          const barrierAt = await afford(who, 1, 1);
          who.socket.send("}");
          expect(await who.socket.take(1, timeoutMs), "the answer after a silent frame").toEqual([expect.objectContaining({ responseType: "ERROR" })]);
          spend(who, barrierAt, 1);
        }
        return got.get(players.indexOf(who)) ?? [];
      } catch (error) {
        return fail(sent, who, raw, error);
      }
    };

    const valid = (who: Player, action: Action, payload: Record<string, unknown>) =>
      JSON.stringify({ username: who.seat.name, action, roomId, payload });
    /** The well-behaved client waits for its tokens: it must never be refused. */
    const behave = async (action: Action, payload: Record<string, unknown>) => {
      const rate = RATE_OF[action]!;
      await sleep(watcher.buckets.get(rate)!.waitFor(1, Date.now()));
      expect(watcher.socket.inbox, "nothing unexpected for the watcher").toEqual([]);
      const got = await step(watcher, valid(watcher, action, payload), 20_000);
      expect(got[0]?.responseType, `the watcher's ${action} is served`).toBe(action);
      return got;
    };

    for (const p of players) {
      const role = p === teacher ? "Teacher" : "Student";
      await step(p, valid(p, "JOIN", { roomId, role, ...(p === teacher ? { token: teacherToken } : {}) }));
    }

    /** Reads what the room stores, as the watcher sees it and as the HTTP summary says. */
    const snapshot = async () => {
      const [history] = await behave("HISTORY", { limit: 100 });
      const [board] = await behave("BOARD", {});
      const summary = await host.json("GET", `/api/rooms/${roomId}`);
      return { history, board, summary };
    };

    let chats = 0;
    let runs = 0;
    for (let n = 0; n < FRAMES; n++) {
      if (n % 1000 === 500) {
        chats += 1;
        await behave("CHAT", { clientId: `watch-${SEED}-${n}`, text: `still here ${n}` });
      }
      if (n % 2000 === 1000) {
        runs += 1;
        const [run] = await behave("RUN", { code: `${n} + 1` });
        expect(run).toMatchObject({ responseType: "RUN", payload: { result: String(n + 1), error: null, timedOut: false } });
      }
      if (n % 2500 === 1500) {
        // A batch of frames the schema refuses must leave the stored chat and board exactly as they were.
        const before = await snapshot();
        for (let k = 0; k < 50; ) {
          const who = rng.pick(fuzzers);
          const raw = serialise(rng, mutateFrame(rng, validFrame({ rng, model, seat: who.seat, names }, rng.pick(ACTIONS_IN_DOC)), { mine: who.seat.name, other: "Fuzz1", roomId }));
          if (judgeFrame(raw).ok) continue;
          await step(who, raw);
          k += 1;
        }
        expect(await snapshot()).toEqual(before);
      }
      const ready = fuzzers.filter((p) => p.buckets.get("frames")!.surely(Date.now()) >= 3);
      if (!ready.length) {
        await sleep(20);
        n -= 1;
        continue;
      }
      const who = rng.pick(ready);
      // Mostly joined, so the rules behind the schema get reached: a seat out of the room usually comes back first.
      let action = !who.seat.joined && rng.chance(0.6) ? "JOIN" : rng.pick(ACTIONS_IN_DOC);
      if (action === "LEAVE" && rng.chance(0.7)) action = rng.pick(ACTIONS_IN_DOC);
      let frame = validFrame({ rng, model, seat: who.seat, names }, action);
      // A live document's rules need a run of accepted changes to reach anything: mutate its frames less.
      const mutations = rng.chance(action.startsWith("DOC_") ? 0.4 : 0.7) ? 1 + rng.int(2) : 0;
      for (let m = 0; m < mutations; m++) frame = mutateFrame(rng, frame, { mine: who.seat.name, other: rng.pick(names), roomId });
      const raw = serialise(rng, frame);
      const judged = judgeFrame(raw);
      if (judged.ok && judged.frame.action === "RUN") {
        // Runs have a per-account quota across rooms (30 a minute, docs/protocol.md § RUN) that the
        // model does not keep: stay well under it, so no RATE_LIMITED can come from it.
        const recent = (runsAt.get(who) ?? []).filter((t) => Date.now() - t < 60_000);
        if (recent.length >= 25) {
          n -= 1;
          continue;
        }
        runsAt.set(who, [...recent, Date.now()]);
      }
      await step(who, raw);
    }

    for (const p of players) {
      expect(await p.socket.take(1, 50), `nothing more for ${p.seat.name}`).toEqual([]);
      expect(p.socket.closed, `${p.seat.name}'s socket`).toBeNull();
    }
    const seconds = (Date.now() - start) / 1000;
    console.log(
      `room fuzz (VITE_FUZZ_SEED=${SEED}): ${sent} frames sent, ${answers} frames received, ${seconds.toFixed(1)} s; ` +
        `watcher ${chats} chats and ${runs} runs served; ${limitedSeen} refused as RATE_LIMITED; ${model.docs.summary()}; answers: ` +
        [...codes].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${k}`).join(", "),
    );
    expect(sent).toBeGreaterThanOrEqual(FRAMES);
  });
});
