// The crash test's verdict: what each client saw confirmed, and every event
// it received, held against what the room returns once the class is over
// (its event log replayed from 0, every HISTORY page, the BOARD, the stored
// shares and the teacher's code). Each problem becomes one line naming the
// client, the item and what went wrong.

const OPEN = new Set(["waiting", "claimed"]);
/** Refusals the class provokes on purpose, or that a retry after a crash is expected to meet. */
const EXPECTED = [
  (e) => e.code === "RATE_LIMITED",
  // A claim or resolve sent again after a crash finds the first one landed.
  (e) => ["HAND_CLAIM", "HAND_RESOLVE"].includes(e.action) && ["NOT_FOUND", "FORBIDDEN"].includes(e.code),
];

const short = (s) => (s.length > 90 ? `${s.slice(0, 87)}...` : s);

/**
 * The room keeps only its newest events (a client further behind gets
 * snapshots), so the whole stream is put together from what was received:
 * every client's events and the audit's replay of the newest ones, per copy
 * (staff, classmates). Two different frames under one seq in one copy mean a
 * change that was sent was lost and its number used again.
 */
function referenceStream(teacher, students, staffRead, studentRead, failures) {
  const copies = { staff: new Map(), classmates: new Map() };
  const conflicts = [];
  const add = (copy, e, who) => {
    const had = copies[copy].get(e.seq);
    if (!had) copies[copy].set(e.seq, { raw: e.raw, who });
    else if (had.raw !== e.raw && conflicts.length < 10) conflicts.push(`seq ${e.seq} reached ${had.who} as ${short(had.raw)} and ${who} as ${short(e.raw)}`);
  };
  for (const e of staffRead.events) add("staff", e, "the room's replay (staff)");
  for (const e of studentRead.events) add("classmates", e, "the room's replay (classmates)");
  for (const e of teacher.events) add("staff", e, teacher.name);
  for (const s of students) for (const e of s.events) add("classmates", e, s.name);
  for (const c of conflicts) failures.push(`LOST event: ${c}`);
  const all = [...new Set([...copies.staff.keys(), ...copies.classmates.keys()])].sort((a, b) => a - b);
  // An event most clients lacked (though their snapshots came before it) was more likely
  // delivered to a few and then lost by the room than missed by everyone else: one line for it.
  const clients = [teacher, ...students];
  const received = clients.map((c) => new Set(c.events.map((e) => e.seq)));
  const seqs = [];
  for (const seq of all) {
    const covering = clients.filter((c) => (c.resets.at(-1)?.base ?? Infinity) < seq);
    const got = clients.filter((c, i) => received[i].has(seq));
    if (covering.length > 1 && got.length * 2 < covering.length) {
      const raw = (copies.staff.get(seq) ?? copies.classmates.get(seq)).raw;
      failures.push(`LOST event: seq ${seq} reached only ${got.map((c) => c.name).join(", ")} of ${covering.length} clients: ${short(raw)}`);
    } else seqs.push(seq);
  }
  return { copies, seqs };
}

/** Lists seq numbers briefly: the first dozen, then how many more. */
const seqList = (seqs) => `seq ${seqs.slice(0, 12).join(", ")}${seqs.length > 12 ? `, ... (${seqs.length} in all)` : ""}`;

/** Every event a client received: known to the log, the same frame, in order, once, and none missing since its last snapshot. */
function checkStream(client, seqs, failures, notes) {
  const who = client.name;
  const seen = new Map(); // seq -> how many times
  const lastOnConn = new Map();
  const disorder = [];
  const duplicates = [];
  for (const e of client.events) {
    const prev = lastOnConn.get(e.conn) ?? -1;
    if (e.seq <= prev) disorder.push(`${e.seq} after ${prev}`);
    lastOnConn.set(e.conn, e.seq);
    const times = (seen.get(e.seq) ?? 0) + 1;
    seen.set(e.seq, times);
    if (times > 1) {
      const asked = client.connInfo.get(e.conn)?.lastSeqSent;
      if (asked != null && e.seq <= asked) duplicates.push(e.seq);
      else notes.redelivered += 1;
    }
  }
  if (disorder.length) failures.push(`${who}: events out of order on one connection: ${disorder.slice(0, 6).join("; ")}`);
  if (duplicates.length) failures.push(`${who}: DUPLICATE events, delivered again though its JOIN's lastSeq covered them: ${seqList(duplicates)}`);
  const reset = client.resets.at(-1);
  if (!reset) return failures.push(`${who}: never completed a JOIN with its snapshots`);
  const missing = seqs.filter((seq) => seq > reset.base && !seen.has(seq));
  if (missing.length) failures.push(`${who}: GAP: events after its last snapshot (seq ${reset.base}) that never arrived: ${seqList(missing)}`);
  const last = seqs.at(-1) ?? 0;
  if ((client.lastSeq ?? -1) < last) failures.push(`${who}: its resume point is ${client.lastSeq}, the last event anyone received is ${last} (not caught up)`);
}

/** Each confirmed item exactly once among `stored` (found by clientId), with what was sent. */
function checkItems(kind, clients, stored, match, failures) {
  const byClientId = new Map();
  for (const item of stored) byClientId.set(item.clientId, [...(byClientId.get(item.clientId) ?? []), item]);
  const confirmed = new Set();
  for (const client of clients) {
    for (const [clientId, c] of client.confirmed) {
      if (c.kind !== kind) continue;
      confirmed.add(clientId);
      const found = byClientId.get(clientId) ?? [];
      const sent = c.payload.text ?? c.payload.note;
      if (found.length === 0) failures.push(`LOST ${kind}: ${client.name}'s "${short(sent)}" (${clientId}) was confirmed (${c.via}, id ${c.id}, seq ${c.seq}) but the room does not have it`);
      else if (found.length > 1) failures.push(`DUPLICATED ${kind}: ${client.name}'s "${short(sent)}" (${clientId}) is stored ${found.length} times (ids ${found.map((f) => f.id).join(", ")})`);
      else {
        const problem = match(found[0], client, c);
        if (problem) failures.push(`${kind} ${clientId} of ${client.name}: ${problem}`);
      }
    }
  }
  for (const [clientId, found] of byClientId) {
    if (!confirmed.has(clientId)) failures.push(`${kind} ${clientId} (id ${found[0].id}) is stored but no client saw it confirmed`);
  }
  return confirmed.size;
}

/** An ACK names the seq of the event that stored the original: that event must carry the same clientId. */
function checkAckSeqs(clients, copies, failures) {
  for (const client of clients) {
    for (const [clientId, c] of client.confirmed) {
      if (c.via !== "ACK") continue;
      const raw = (copies.staff.get(c.seq) ?? copies.classmates.get(c.seq))?.raw;
      if (!raw || !raw.includes(`"clientId":"${clientId}"`)) failures.push(`${client.name}: ACK for ${clientId} names seq ${c.seq}, which is not the event that stored it`);
    }
  }
}

/**
 * The hands as the stream tells them: id -> the latest view, in the staff
 * copy where someone on staff received it (it names the student), else the
 * classmates' copy.
 */
function handsFromStream(copies) {
  const hands = new Map();
  for (const copy of [copies.classmates, copies.staff]) {
    for (const [seq, { raw }] of [...copy].sort(([a], [b]) => a - b)) {
      const frame = JSON.parse(raw);
      if (frame.responseType !== "HAND") continue;
      const had = hands.get(frame.payload.hand.id);
      if (!had || had.seq <= seq) hands.set(frame.payload.hand.id, { seq, ...frame.payload.hand });
    }
  }
  return hands;
}

export function verdict({ teacher, students, staffRead, studentRead }) {
  const failures = [];
  const notes = { redelivered: 0, expectedErrors: 0 };
  const clients = [teacher, ...students];

  for (const read of [staffRead, studentRead]) {
    // The audit asked for fewer events than a replay holds, after a seq some client received: snapshots instead mean the room holds events nobody received.
    if (read.snapshotInstead) failures.push(`the room answered a JOIN with lastSeq ${read.lastSeq} with snapshots: it holds more events after it than any client received`);
  }
  const { copies, seqs } = referenceStream(teacher, students, staffRead, studentRead, failures);

  for (const client of clients) {
    if (client.failed) failures.push(`${client.name}: could not stay in the room: ${client.failed}`);
    else if (!client.joined) failures.push(`${client.name}: not joined at the end`);
    for (const item of client.outbox.values()) failures.push(`${client.name}: ${item.kind} "${short(item.payload.text ?? item.payload.note)}" was never confirmed (sent ${item.sends} times)`);
    if (client.share.pending !== null) failures.push(`${client.name}: a SHARE was never echoed back`);
    for (const e of client.unexpected) {
      if (EXPECTED.some((ok) => ok(e))) notes.expectedErrors += 1;
      else failures.push(`${client.name}: ERROR ${e.code} to ${e.action ?? "?"}: ${e.error_message}`);
    }
    checkStream(client, seqs, failures, notes);
  }

  const chats = checkItems("chat", clients, staffRead.messages, (m, client) => {
    if (m.author !== client.name) return `stored as written by ${m.author}`;
    if (m.deleted) return "stored as deleted";
    return null;
  }, failures);
  const once = staffRead.messages.filter((m, _, all) => all.filter((x) => x.clientId === m.clientId).length === 1);
  for (const m of once) {
    const sent = clients.flatMap((c) => [...c.confirmed.values()]).find((c) => c.payload.clientId === m.clientId);
    if (sent && sent.payload.text !== m.text) failures.push(`chat ${m.clientId}: stored text "${short(m.text)}" differs from the sent "${short(sent.payload.text)}"`);
    if (sent && sent.id !== m.id) failures.push(`chat ${m.clientId}: confirmed as id ${sent.id}, stored as id ${m.id}`);
  }
  const questions = checkItems("question", clients, staffRead.board?.questions ?? [], (q, client, c) => {
    if (q.author !== client.name) return `stored as asked by ${q.author}`;
    if (q.text !== c.payload.text) return `stored text "${short(q.text)}" differs from the sent one`;
    if (q.id !== c.id) return `confirmed as id ${c.id}, stored as id ${q.id}`;
    return null;
  }, failures);
  const logHands = handsFromStream(copies);
  const hands = checkItems("hand", clients, [...logHands.values()], (h, client, c) => {
    if (h.student !== null && h.student !== client.name) return `stored as raised by ${h.student}`;
    if (h.id !== c.id) return `confirmed as id ${c.id}, stored as id ${h.id}`;
    return null;
  }, failures);
  const openInLog = [...logHands.values()].filter((h) => OPEN.has(h.status)).map((h) => h.id).sort((a, b) => a - b).join(",");
  const openOnBoard = (staffRead.board?.hands ?? []).map((h) => h.id).sort((a, b) => a - b).join(",");
  if (openInLog !== openOnBoard) failures.push(`BOARD's open hands [${openOnBoard}] differ from the ones the events left open [${openInLog}]`);
  checkAckSeqs(clients, copies, failures);

  // Shares: one stored per student, the last one its echo confirmed; the teacher's in every JOIN answer.
  for (const s of students) {
    const stored = staffRead.shares.filter((x) => x.from === s.name);
    if (s.share.acked === null) continue;
    if (stored.length === 0) failures.push(`LOST share: ${s.name}'s confirmed share is not among the stored ones a teacher receives`);
    else if (stored.length > 1) failures.push(`DUPLICATED share: ${s.name} has ${stored.length} stored shares`);
    else if (stored[0].shared_code !== s.share.acked) failures.push(`share of ${s.name}: stored "${short(stored[0].shared_code)}", last confirmed "${short(s.share.acked)}"`);
  }
  const sharedCode = studentRead.join?.room?.sharedCode;
  if (teacher.share.acked !== null && sharedCode !== teacher.share.acked) failures.push(`teacher's share: the room gives "${short(sharedCode ?? "")}", last confirmed "${short(teacher.share.acked)}"`);

  // Who is here: everyone once, no seat left over from the sockets the crash cut.
  const roster = staffRead.join?.payload.roster ?? [];
  const keys = roster.map((p) => `${p.role}:${p.username}`);
  const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (dupes.length) failures.push(`the roster lists ${dupes.join(", ")} more than once`);
  for (const c of clients) if (!keys.includes(`${c.role}:${c.name}`)) failures.push(`the roster after the class lacks ${c.name}`);

  const sharesSent = clients.reduce((n, c) => n + c.share.sent, 0);
  const sharesAcked = clients.reduce((n, c) => n + c.share.acks, 0);
  return { failures, notes, counts: { chats, questions, hands, events: seqs.length, lastLogSeq: seqs.at(-1) ?? 0, replayed: staffRead.events.length, sharesSent, sharesAcked, messagesStored: staffRead.messages.length } };
}
