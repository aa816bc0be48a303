// What the crash test's class does: students chat, ask and upvote
// questions, raise hands and share code; the teacher chats, shares, answers
// questions and claims and resolves hands. Paced under the room's rate
// limits (the messages bucket refills one a second), with a seeded random
// source so a failing run can be replayed with the same --seed.
//
// Students keep typing while disconnected, as people do: chat, questions and
// hands go to the outbox and out on the next JOIN. Shares and votes need a
// live connection, as in the browser.

/** mulberry32: a small seeded generator, enough to make the class's choices repeatable. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPEN = new Set(["waiting", "claimed"]);

export class ChaosClass {
  constructor({ random, teacher, students }) {
    this.random = random;
    this.teacher = teacher;
    this.students = students;
    this.counter = 0;
    const now = performance.now();
    const soon = (lo, hi) => now + this.between(lo, hi);
    this.plans = new Map(
      students.map((s) => [
        s,
        { chat: soon(500, 4000), ask: soon(3000, 20000), vote: soon(5000, 15000), hand: soon(2000, 15000), share: soon(500, 5000), voted: new Set() },
      ]),
    );
    this.teacherPlan = { chat: soon(1000, 4000), share: soon(500, 3000), requested: new Map() };
    /** What each participant knows of the board, from QUESTION/HAND events and BOARD snapshots. */
    this.questions = new Map(); // id -> question (as the teacher sees it)
    this.hands = new Map(); // id -> { hand, seenAt }
    this.myHand = new Map(); // student -> clientId of their latest raised hand
    this.handStatus = new Map(); // hand clientId -> status, as seen by anyone
  }

  between(lo, hi) {
    return lo + this.random() * (hi - lo);
  }

  pick(list) {
    return list[Math.floor(this.random() * list.length)];
  }

  text(who, what) {
    this.counter += 1;
    return `${what} #${this.counter} from ${who.name}`;
  }

  /** Every frame any participant receives (the class only learns from the teacher's and each hand's owner). */
  observe(client, frame) {
    const now = performance.now();
    if (frame.responseType === "HAND") {
      const { hand } = frame.payload;
      this.handStatus.set(hand.clientId, hand.status);
      if (client === this.teacher) this.hands.set(hand.id, { hand, seenAt: this.hands.get(hand.id)?.hand.status === hand.status ? this.hands.get(hand.id).seenAt : now });
    } else if (frame.responseType === "QUESTION" && client === this.teacher) {
      this.questions.set(frame.payload.question.id, { question: frame.payload.question, seenAt: now });
    } else if (frame.responseType === "BOARD" && client === this.teacher) {
      for (const question of frame.payload.questions) this.questions.set(question.id, { question, seenAt: now });
      const open = new Set(frame.payload.hands.map((h) => h.id));
      for (const hand of frame.payload.hands) this.hands.set(hand.id, { hand, seenAt: now });
      for (const [id, entry] of this.hands) if (!open.has(id)) this.hands.set(id, { ...entry, hand: { ...entry.hand, status: "resolved" } });
    }
  }

  /** One step of the class: whoever is due does something. */
  tick() {
    const now = performance.now();
    for (const [s, plan] of this.plans) this.studentTick(s, plan, now);
    this.teacherTick(now);
  }

  studentTick(s, plan, now) {
    if (now >= plan.chat) {
      s.post("CHAT", { text: this.text(s, "chat") });
      plan.chat = now + this.between(3500, 7000);
    }
    if (now >= plan.ask) {
      s.post("ASK", { text: this.text(s, "question"), anonymous: this.random() < 0.3 });
      plan.ask = now + this.between(15000, 30000);
    }
    if (now >= plan.hand) {
      const mine = this.myHand.get(s);
      // One open hand per student: only once the last one is confirmed closed (or never raised).
      const busy = mine && (s.outbox.has(mine) || OPEN.has(this.handStatus.get(mine)) || !this.handStatus.has(mine));
      if (!busy) {
        this.myHand.set(s, s.post("HAND_RAISE", { note: this.text(s, "help"), code: `// ${s.name}\nlet x = 1;\n`, line: 2 }));
        plan.hand = now + this.between(8000, 16000);
      } else {
        plan.hand = now + 1000;
      }
    }
    if (now >= plan.vote && s.joined) {
      const candidates = [...this.questions.values()].map((q) => q.question).filter((q) => !s.confirmed.has(q.clientId) && !s.outbox.has(q.clientId) && !plan.voted.has(q.id));
      if (candidates.length) {
        const q = this.pick(candidates);
        plan.voted.add(q.id);
        s.sendRaw({ action: "VOTE", payload: { id: q.id, up: true } });
      }
      plan.vote = now + this.between(15000, 25000);
    }
    if (now >= plan.share && s.joined) {
      s.shareCode(`// ${this.text(s, "share")}\nconsole.log(${this.counter});\n`);
      plan.share = now + this.between(3000, 7000);
    }
  }

  teacherTick(now) {
    const t = this.teacher;
    const plan = this.teacherPlan;
    if (now >= plan.chat) {
      t.post("CHAT", { text: this.text(t, "announcement") });
      plan.chat = now + this.between(3000, 6000);
    }
    if (!t.joined) return;
    if (now >= plan.share) {
      t.shareCode(`// ${this.text(t, "teacher share")}\n`);
      plan.share = now + this.between(4000, 8000);
    }
    // Staff moderation has no clientId: sent again only if nothing came of it (the room answers
    // NOT_FOUND or FORBIDDEN when an earlier attempt did land).
    const due = (key, wait) => !(plan.requested.get(key) > now - wait);
    for (const [id, { hand, seenAt }] of this.hands) {
      if (hand.status === "waiting" && now - seenAt > 1500 && due(`claim ${id}`, 4000)) {
        plan.requested.set(`claim ${id}`, now);
        t.sendRaw({ action: "HAND_CLAIM", payload: { id } });
      } else if (hand.status === "claimed" && hand.claimedBy === t.name && now - seenAt > 2000 && due(`resolve ${id}`, 4000)) {
        plan.requested.set(`resolve ${id}`, now);
        t.sendRaw({ action: "HAND_RESOLVE", payload: { id } });
      }
    }
    for (const [id, { question, seenAt }] of this.questions) {
      if (question.answeredAt === null && now - seenAt > 3000 && id % 3 !== 0 && due(`answer ${id}`, 5000)) {
        plan.requested.set(`answer ${id}`, now);
        t.sendRaw({ action: "ANSWER", payload: { id, answer: `Answer to question ${id}.` } });
      }
    }
  }

  /** Just before a crash: every student sends a chat at once, so some are in flight when the process dies. */
  burst(label) {
    for (const s of this.students) s.post("CHAT", { text: this.text(s, label) });
  }
}
