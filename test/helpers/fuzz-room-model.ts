/**
 * The room fuzzer's oracle: a model of one ad-hoc room, written from
 * docs/protocol.md, that says for a frame which already passed the schema
 * (fuzz-room-spec.ts) exactly which frames every socket must receive, and
 * then takes in what the room really sent (times, ids) to stay in step.
 */
import { expect } from "vitest";
import { BOARD_LIMITS, CHAT_LIMITS } from "../../protocol";
import { DocsModel } from "./fuzz-room-docs";
import { LiveModel } from "./fuzz-room-live";
import type { Action } from "./fuzz-room-spec";
import type { ValidFrame } from "./fuzz-room-spec";

export type Role = "Student" | "Teacher";
const anyNum = () => expect.any(Number) as unknown as number;

export interface Seat {
  userId: string;
  name: string;
  joined: Role | null;
}

interface Msg { id: number; clientId: string; authorId: string; author: string; authorRole: Role; text: string; attach: { code?: string; output?: string } | null; createdAt: number; editedAt: number | null; deleted: boolean }
interface Question { id: number; clientId: string; authorId: string; author: string; text: string; anonymous: boolean; voters: Set<string>; askedAt: number; answeredAt: number | null; answeredBy: string | null; answer: string | null; removed?: boolean }
interface Hand { id: number; clientId: string; studentId: string; student: string; status: "waiting" | "claimed" | "resolved" | "withdrawn"; raisedAt: number; claimedBy: string | null; note: string | null; code: string | null; line: number | null }

/** Every payload field of every action; a valid frame has those of its action (fuzz-room-spec.ts). */
interface Payload {
  id: number; text: string; clientId: string; shared_code: string; username: string; muted: boolean; before?: number; limit: number;
  anonymous: boolean; up: boolean; answer?: string; note?: string; code?: string; line?: number; attach?: { code?: string; output?: string };
}

/** Frames each socket (by index) must receive, in order; `commit` then records what the room chose (times). */
export interface Outcome {
  frames: Map<number, unknown[]>;
  commit?: (got: Map<number, Record<string, unknown>[]>) => void;
}

export class RoomModel {
  seq = 0;
  /** Joined seats in join order (indexes into `seats`). */
  order: number[] = [];
  teacherCode = "";
  studentCode = new Map<string, { username: string; code: string; sharedAt: number }>();
  messages: Msg[] = [];
  chatIds = new Map<string, Msg>();
  /** userId → the name they were muted under, in muting order. */
  muted = new Map<string, string>();
  questions: Question[] = [];
  questionIds = new Map<string, { q: Question; seq: number }>();
  hands: Hand[] = [];
  handIds = new Map<string, { h: Hand; seq: number }>();
  chatSeq = new Map<number, number>();
  events: { seq: number; all: unknown; staff: unknown }[] = [];
  /** The live documents, their subscribers and modes. */
  readonly docs = new DocsModel(this);
  /** Live video: the broadcast, peer ids and viewers. */
  readonly live = new LiveModel(this);

  constructor(
    readonly roomId: string,
    readonly token: string,
    readonly seats: Seat[],
  ) {}

  view(): { id: string; teacher: string | null; students: number; teachers: number } {
    const joined = this.order.map((i) => this.seats[i]!);
    return {
      id: this.roomId,
      teacher: joined.find((s) => s.joined === "Teacher")?.name ?? null,
      students: joined.filter((s) => s.joined === "Student").length,
      teachers: joined.filter((s) => s.joined === "Teacher").length,
    };
  }

  private error(action: Action, code: string, message: string | null, frame: ValidFrame): unknown {
    const clientId = typeof frame.payload.clientId === "string" ? { clientId: frame.payload.clientId } : {};
    return { responseType: "ERROR", payload: { error_message: message ?? expect.any(String), code, action, ...clientId } };
  }

  private only(i: number, frame: unknown): Outcome {
    return { frames: new Map([[i, [frame]]]) };
  }

  /** Every joined seat gets `all`, staff get `staff` instead when given. */
  private toAll(all: unknown, staff?: unknown, commit?: Outcome["commit"]): Outcome {
    const frames = new Map<number, unknown[]>();
    for (const i of this.order) frames.set(i, [this.seats[i]!.joined === "Teacher" && staff ? staff : all]);
    return { frames, commit };
  }

  private log(all: unknown, staff?: unknown) {
    this.events.push({ seq: this.seq, all, staff: staff ?? all });
  }

  /** Step 5 of the gate for every action but JOIN: joined, as who and where it says. */
  private step5(i: number, f: ValidFrame): unknown | null {
    const seat = this.seats[i]!;
    if (!seat.joined) return this.error(f.action, "NOT_JOINED", `Send JOIN before ${f.action}.`, f);
    if (f.username !== seat.name) return this.error(f.action, "FORBIDDEN", `This connection belongs to "${seat.name}", not "${f.username}".`, f);
    if (f.roomId !== null && f.roomId !== this.roomId) return this.error(f.action, "WRONG_ROOM", `This connection is for room ${this.roomId}, not ${f.roomId}.`, f);
    if (f.role !== null && f.role !== seat.joined) return this.error(f.action, "FORBIDDEN", `You are in this room as ${seat.joined}, not ${f.role}.`, f);
    if (f.action === "LEAVE") {
      if (f.payload.roomId !== this.roomId) return this.error(f.action, "WRONG_ROOM", `You are not in room ${f.payload.roomId}.`, f);
      if (f.payload.role !== seat.joined) return this.error(f.action, "FORBIDDEN", `You are in this room as ${seat.joined}, not ${f.payload.role}.`, f);
    }
    return null;
  }

  /** The answer to a schema-valid frame; `limited` says whether its rate-limit bucket was empty. */
  decide(i: number, f: ValidFrame, limited: boolean, limitMessage: string): Outcome {
    return this.decideAction(i, f, limited, limitMessage) ?? { frames: new Map() };
  }

  private decideAction(i: number, f: ValidFrame, limited: boolean, limitMessage: string): Outcome | undefined {
    if (f.action === "JOIN") {
      if (limited) return this.only(i, this.error("JOIN", "RATE_LIMITED", limitMessage, f));
      return this.join(i, f);
    }
    const refused = this.step5(i, f);
    if (refused) return this.only(i, refused);
    if (limited) return this.only(i, this.error(f.action, "RATE_LIMITED", limitMessage, f));
    const seat = this.seats[i]!;
    const p = f.payload as unknown as Payload;
    const staff = seat.joined === "Teacher";
    const err = (code: string, message: string) => this.only(i, this.error(f.action, code, message, f));
    if (f.action.startsWith("DOC_")) return this.docs.decide(i, f);
    if (f.action.startsWith("LIVE_")) return this.live.decide(i, f);
    switch (f.action) {
      case "LEAVE": {
        const role = seat.joined!;
        // Live video first, while the leaver is still joined: a paused broadcast, or a viewer's bye.
        const live = this.live.left(i);
        seat.joined = null;
        this.docs.left(i);
        this.order = this.order.filter((x) => x !== i);
        this.seq += 1;
        const room = this.view();
        const out = this.toAll({ responseType: "LEAVE", room, payload: { role, username: seat.name }, seq: this.seq });
        out.frames.set(i, [{ responseType: "LEAVE", room, payload: { role }, seq: this.seq }]);
        for (const [x, before] of live.frames) out.frames.set(x, [...before, ...(out.frames.get(x) ?? [])]);
        out.commit = live.commit;
        return out;
      }
      case "RUN": {
        // The runner's output is checked by the caller; here only its place in the stream, and the run marked on the sender's editor.
        const out = this.only(i, { responseType: "RUN", room: this.view(), payload: expect.objectContaining({ codeOutput: expect.any(String), durationMs: expect.any(Number) }) });
        this.docs.markRun(out, i);
        return out;
      }
      case "SHARE": {
        this.seq += 1;
        const frame = { responseType: "SHARE", room: this.view(), payload: { shared_code: p.shared_code, from: seat.name, role: seat.joined, sharedAt: anyNum() }, seq: this.seq };
        const audience: Role = staff ? "Student" : "Teacher";
        const frames = new Map<number, unknown[]>();
        for (const x of this.order) if (x === i || this.seats[x]!.joined === audience) frames.set(x, [frame]);
        const out: Outcome = {
          frames,
          commit: (got) => {
            const sharedAt = (got.get(i)![0]!.payload as { sharedAt: number }).sharedAt;
            if (staff) this.teacherCode = p.shared_code;
            else {
              this.studentCode.delete(seat.userId);
              this.studentCode.set(seat.userId, { username: seat.name, code: p.shared_code, sharedAt });
            }
          },
        };
        this.docs.markShare(out, i);
        return out;
      }
      case "CHAT": {
        const known = this.chatIds.get(`${seat.userId}|${p.clientId}`);
        if (known) return this.only(i, { responseType: "ACK", payload: { clientId: p.clientId, id: known.id }, seq: this.chatSeq.get(known.id) });
        if (this.muted.has(seat.userId)) return err("MUTED", "A teacher has muted you in this chat.");
        const a = p.attach;
        const msg: Msg = {
          id: this.messages.length + 1, clientId: p.clientId, authorId: seat.userId, author: seat.name, authorRole: seat.joined!, text: p.text,
          attach: a && (a.code !== undefined || a.output !== undefined) ? a : null, createdAt: anyNum(), editedAt: null, deleted: false,
        };
        this.seq += 1;
        const seq = this.seq;
        return this.toAll({ responseType: "CHAT", payload: { message: publicMsg(msg) }, seq }, undefined, (got) => {
          msg.createdAt = (got.get(i)![0]!.payload as { message: Msg }).message.createdAt;
          this.messages.push(msg);
          this.chatIds.set(`${seat.userId}|${p.clientId}`, msg);
          this.chatSeq.set(msg.id, seq);
          this.log({ responseType: "CHAT", payload: { message: publicMsg(msg) }, seq });
        });
      }
      case "CHAT_EDIT":
      case "CHAT_DELETE": {
        const msg = this.messages[p.id - 1];
        if (!msg || msg.deleted) return err("NOT_FOUND", `There is no message ${p.id}.`);
        const edit = f.action === "CHAT_EDIT";
        if (edit && msg.authorId !== seat.userId) return err("FORBIDDEN", "You can only edit your own messages.");
        if (!edit && msg.authorId !== seat.userId && !staff) return err("FORBIDDEN", "Only teachers can delete other people's messages.");
        if (edit && this.muted.has(seat.userId)) return err("MUTED", "A teacher has muted you in this chat.");
        const next: Msg = edit ? { ...msg, text: p.text, editedAt: anyNum() } : { ...msg, text: "", attach: null, deleted: true };
        this.seq += 1;
        const seq = this.seq;
        return this.toAll({ responseType: "CHAT_UPDATE", payload: { message: publicMsg(next) }, seq }, undefined, (got) => {
          Object.assign(msg, next, { editedAt: (got.get(i)![0]!.payload as { message: Msg }).message.editedAt });
          this.log({ responseType: "CHAT_UPDATE", payload: { message: publicMsg(msg) }, seq });
        });
      }
      case "MUTE": {
        if (!staff) return err("FORBIDDEN", "Only teachers can mute participants.");
        const present = this.order.map((x) => this.seats[x]!).filter((s) => s.name === p.username);
        const author = [...this.messages].reverse().find((m) => m.author === p.username && m.authorRole === "Student");
        const target = present.find((s) => s.joined === "Student")?.userId ?? author?.authorId;
        if (!target && present.length) return err("FORBIDDEN", "Teachers cannot be muted.");
        if (!target) return err("NOT_FOUND", `No student called "${p.username}" is in this chat.`);
        this.seq += 1;
        const frame = { responseType: "MUTED", payload: { username: p.username, muted: p.muted, by: seat.name }, seq: this.seq };
        return this.toAll(frame, undefined, () => {
          this.muted.delete(target);
          if (p.muted) this.muted.set(target, p.username);
          this.log(frame);
        });
      }
      case "HISTORY":
        return this.only(i, this.history(p.before, p.limit));
      case "ASK": {
        const known = this.questionIds.get(`${seat.userId}|${p.clientId}`);
        if (known) return this.only(i, { responseType: "ACK", payload: { clientId: p.clientId, id: known.q.id }, seq: known.seq });
        if (this.muted.has(seat.userId)) return err("MUTED", "A teacher has muted you in this room: you cannot post questions to the class.");
        const q: Question = {
          id: this.questions.length + 1, clientId: p.clientId, authorId: seat.userId, author: seat.name, text: p.text, anonymous: p.anonymous,
          voters: new Set(), askedAt: anyNum(), answeredAt: null, answeredBy: null, answer: null,
        };
        return this.questionEvent(i, q, (got) => {
          q.askedAt = (first(got).payload as { question: { askedAt: number } }).question.askedAt;
          this.questions.push(q);
          this.questionIds.set(`${seat.userId}|${p.clientId}`, { q, seq: this.seq });
        });
      }
      case "VOTE": {
        const q = this.question(p.id);
        if (!q) return err("NOT_FOUND", `There is no question ${p.id}.`);
        if (q.authorId === seat.userId) return err("FORBIDDEN", "You cannot vote for your own question.");
        if (q.voters.has(seat.userId) === p.up) return { frames: new Map() };
        if (p.up) q.voters.add(seat.userId);
        else q.voters.delete(seat.userId);
        return this.questionEvent(i, q);
      }
      case "ANSWER": {
        if (!staff) return err("FORBIDDEN", "Only teachers can answer questions.");
        const q = this.question(p.id);
        if (!q) return err("NOT_FOUND", `There is no question ${p.id}.`);
        Object.assign(q, { answeredAt: anyNum(), answeredBy: seat.name, answer: p.answer?.trim() || null });
        return this.questionEvent(i, q, (got) => {
          q.answeredAt = (first(got).payload as { question: { answeredAt: number } }).question.answeredAt;
        });
      }
      case "QUESTION_DELETE": {
        const q = this.question(p.id);
        if (!q) return err("NOT_FOUND", `There is no question ${p.id}.`);
        if (!staff && q.authorId !== seat.userId) return err("FORBIDDEN", "Only teachers can remove other people's questions.");
        q.removed = true;
        this.seq += 1;
        const frame = { responseType: "QUESTION_DELETED", payload: { id: q.id, by: seat.name }, seq: this.seq };
        return this.toAll(frame, undefined, () => this.log(frame));
      }
      case "HAND_RAISE": {
        if (!staff) {
          const known = this.handIds.get(`${seat.userId}|${p.clientId}`);
          if (known) return this.only(i, { responseType: "ACK", payload: { clientId: p.clientId, id: known.h.id }, seq: known.seq });
        }
        if (staff) return err("FORBIDDEN", "Only students raise hands.");
        if (this.hands.some((h) => h.studentId === seat.userId && open(h))) return err("HAND_OPEN", "Your hand is already up; withdraw it before raising it again.");
        const h: Hand = {
          id: this.hands.length + 1, clientId: p.clientId, studentId: seat.userId, student: seat.name, status: "waiting", raisedAt: anyNum(),
          claimedBy: null, note: p.note?.trim() || null, code: p.code ?? null, line: p.line ?? null,
        };
        return this.handEvent(i, h, (got) => {
          h.raisedAt = (first(got).payload as { hand: { raisedAt: number } }).hand.raisedAt;
          this.hands.push(h);
          this.handIds.set(`${seat.userId}|${p.clientId}`, { h, seq: this.seq });
        });
      }
      case "HAND_WITHDRAW":
      case "HAND_CLAIM":
      case "HAND_RESOLVE": {
        const h = this.hands[p.id - 1];
        if (!h || !open(h)) return err("NOT_FOUND", `There is no open request ${p.id}.`);
        if (f.action === "HAND_WITHDRAW" && h.studentId !== seat.userId) return err("FORBIDDEN", "You can only withdraw your own request.");
        if (f.action !== "HAND_WITHDRAW" && !staff) return err("FORBIDDEN", "Only teachers can claim or resolve requests.");
        if (f.action === "HAND_CLAIM" && h.status === "claimed") return err("FORBIDDEN", `${h.claimedBy} has already claimed this request.`);
        h.status = f.action === "HAND_WITHDRAW" ? "withdrawn" : f.action === "HAND_CLAIM" ? "claimed" : "resolved";
        if (f.action === "HAND_CLAIM") h.claimedBy = seat.name;
        return this.handEvent(i, h);
      }
      case "BOARD":
        return this.only(i, this.board(staff, seat.userId, p.before));
    }
  }

  private join(i: number, f: ValidFrame): Outcome {
    const seat = this.seats[i]!;
    const p = f.payload as { roomId: string; role: Role; token?: string; lastSeq?: number };
    const err = (code: string, message: string) => this.only(i, this.error("JOIN", code, message, f));
    if (seat.joined) return err("ALREADY_JOINED", `You have already joined as ${seat.joined} "${seat.name}"; send LEAVE first.`);
    if (p.roomId !== this.roomId) return err("WRONG_ROOM", `This connection is for room ${this.roomId}, not ${p.roomId}.`);
    if (f.roomId !== null && f.roomId !== this.roomId) return err("WRONG_ROOM", `This connection is for room ${this.roomId}, not ${f.roomId}.`);
    if (f.role !== null && f.role !== p.role) return err("FORBIDDEN", `You are in this room as ${p.role}, not ${f.role}.`);
    if (f.username !== seat.name) return err("FORBIDDEN", `You are signed in as "${seat.name}"; join under that name.`);
    if (p.role === "Teacher" && p.token !== this.token) return err("BAD_TOKEN", "Joining as Teacher needs this room's teacher link.");
    const others = this.order.map((x) => this.seats[x]!);
    const teacher = others.find((s) => s.joined === "Teacher");
    if (p.role === "Teacher" && teacher) return err("ROLE_TAKEN", `The Teacher role is taken by "${teacher.name}".`);
    const notice = (view: unknown) => ({ responseType: "JOIN", room: view, payload: { role: p.role, username: seat.name }, seq: this.seq });
    seat.joined = p.role;
    this.order.push(i);
    this.seq += 1;
    const view = this.view();
    const out = this.toAll(notice(view));
    // A broadcast left too long ends now, for everyone; one still on is announced to the joiner.
    const live = this.live.greet();
    for (const [x, frames] of out.frames) out.frames.set(x, [...frames, ...live.everyone]);
    const roster = this.order.map((x) => ({ username: this.seats[x]!.name, role: this.seats[x]!.joined }));
    const mine: unknown[] = [
      { responseType: "JOIN", room: { ...view, sharedCode: this.teacherCode }, payload: { role: p.role, roster }, seq: this.seq },
      ...this.docs.greeting(),
      ...live.everyone,
      ...live.joiner,
    ];
    if (p.role === "Teacher") {
      const shares = [...this.studentCode.values()].sort((a, b) => a.sharedAt - b.sharedAt);
      for (const s of shares) mine.push({ responseType: "SHARE", room: view, payload: { shared_code: s.code, from: s.username, role: "Student", sharedAt: s.sharedAt } });
    }
    if (p.lastSeq !== undefined) {
      const missed = this.events.filter((e) => e.seq > p.lastSeq!).map((e) => (p.role === "Teacher" ? e.staff : e.all));
      const bytes = missed.reduce((n: number, e) => n + JSON.stringify(e).length, 0);
      if (missed.length > CHAT_LIMITS.maxReplay || bytes > CHAT_LIMITS.maxReplayBytes) mine.push({ ...this.history(undefined, 50), payload: { ...this.history(undefined, 50).payload, reset: true } }, this.board(p.role === "Teacher", seat.userId));
      else mine.push(...missed);
    }
    out.frames.set(i, mine);
    return out;
  }

  history(before: number | undefined, limit: number): { responseType: "HISTORY"; payload: { messages: unknown[]; hasMore: boolean; reset: boolean; muted: string[] }; seq: number } {
    const older = this.messages.filter((m) => before === undefined || m.id < before);
    const page = older.slice(Math.max(0, older.length - limit));
    return {
      responseType: "HISTORY",
      payload: { messages: page.map(publicMsg), hasMore: older.length > page.length, reset: false, muted: [...this.muted.values()] },
      seq: this.seq,
    };
  }

  /** A page of the newest questions (below `before`), oldest first; open hands on the first page only. */
  board(staff: boolean, userId: string, before?: number) {
    const older = this.questions.filter((q) => !q.removed && (before === undefined || q.id < before));
    const page = older.slice(Math.max(0, older.length - BOARD_LIMITS.boardPage));
    const hands = before === undefined ? this.hands.filter(open).sort((a, b) => a.raisedAt - b.raisedAt || a.id - b.id) : [];
    return {
      responseType: "BOARD",
      payload: {
        questions: page.map((q) => questionView(q, staff)),
        hands: hands.map((h) => handView(h, staff)),
        hasMore: older.length > page.length,
        mine: [...page.filter((q) => q.authorId === userId).map((q) => q.clientId), ...hands.filter((h) => h.studentId === userId).map((h) => h.clientId)],
        ...(before === undefined ? {} : { before }),
      },
      seq: this.seq,
    };
  }

  /** A question that exists and was not removed. */
  private question(id: number): Question | undefined {
    const q = this.questions[id - 1];
    return q && !q.removed ? q : undefined;
  }

  private questionEvent(_i: number, q: Question, commit?: Outcome["commit"]): Outcome {
    return this.viewEvent((staff) => ({ responseType: "QUESTION", payload: { question: questionView(q, staff) } }), commit);
  }

  private handEvent(_i: number, h: Hand, commit?: Outcome["commit"]): Outcome {
    return this.viewEvent((staff) => ({ responseType: "HAND", payload: { hand: handView(h, staff) } }), commit);
  }

  /** An event with a classmates' copy and a staff copy, built again when logged (the view may change on commit). */
  private viewEvent(frame: (staff: boolean) => Record<string, unknown>, commit?: Outcome["commit"]): Outcome {
    this.seq += 1;
    const seq = this.seq;
    const build = () => [{ ...frame(false), seq }, { ...frame(true), seq }] as const;
    const [all, staff] = build();
    return this.toAll(all, staff, (got) => {
      commit?.(got);
      const [a, s] = build();
      this.log(a, s);
    });
  }
}

const open = (h: Hand) => h.status === "waiting" || h.status === "claimed";
const first = (got: Map<number, Record<string, unknown>[]>) => [...got.values()].find((list) => list.length)![0]!;

function publicMsg(m: Msg) {
  const { authorId: _, ...rest } = m;
  return rest;
}

function questionView(q: Question, staff: boolean) {
  return {
    id: q.id, clientId: q.clientId, text: q.text, author: staff || !q.anonymous ? q.author : null, anonymous: q.anonymous, votes: q.voters.size,
    askedAt: q.askedAt, answeredAt: q.answeredAt, answeredBy: q.answeredBy, answer: q.answer,
  };
}

function handView(h: Hand, staff: boolean) {
  return {
    id: h.id, clientId: h.clientId, status: h.status, raisedAt: h.raisedAt, claimedBy: h.claimedBy,
    student: staff ? h.student : null, note: staff ? h.note : null, code: staff ? h.code : null, line: staff ? h.line : null,
  };
}
