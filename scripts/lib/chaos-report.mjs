// The crash test's figures: per kill, how long until the app answered HTTP
// again, until every client was joined again, until every client had been
// replayed what it missed, and until every message typed before the room
// was back had been confirmed; plus what was in flight when the process
// died and how each of those was confirmed afterwards.

const ms = (x) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : `${Math.round(x)} ms`);

/** When `client` was caught up after the JOIN `join`: its replay (or its fresh snapshots) all in. */
function caughtUpAt(client, join) {
  if (join.fresh) return client.resets.find((r) => r.at >= join.at)?.at ?? null;
  const replayed = client.events.filter((e) => e.conn === join.conn && e.seq < join.joinSeq);
  return Math.max(join.at, ...replayed.map((e) => e.at));
}

/** Figures for each kill ({ at, httpAt }) of the run; `until` ends the last kill's window. */
export function recoveryFigures(clients, kills, until) {
  return kills.map((kill, k) => {
    const end = kills[k + 1]?.at ?? until;
    const rejoins = [];
    const missing = [];
    for (const c of clients) {
      const join = c.joins.find((j) => j.at > kill.at && j.at < end);
      if (!join) missing.push(c.name);
      else rejoins.push({ client: c, join, caughtUp: caughtUpAt(c, join) });
    }
    const allJoinedAt = rejoins.length === clients.length ? Math.max(...rejoins.map((r) => r.join.at)) : null;
    const caught = rejoins.map((r) => r.caughtUp);
    const allCaughtUpAt = allJoinedAt !== null && caught.every((x) => x !== null) ? Math.max(...caught) : null;
    const confirmations = clients.flatMap((c) => [...c.confirmed.values()]);
    // Sent before the kill and confirmed only after it: the crash caught them in flight.
    const inFlight = confirmations.filter((x) => x.firstSentAt !== undefined && x.firstSentAt < kill.at && x.at > kill.at && x.at < end);
    const offline = confirmations.filter((x) => x.createdAt > kill.at && allJoinedAt !== null && x.createdAt < allJoinedAt);
    const waited = [...inFlight, ...offline];
    const via = (how) => inFlight.filter((x) => x.via === how).length;
    // Those only a resend stored, by kind: the browser resends chat alone, so its questions and hands among these would be gone.
    const resent = (kind) => inFlight.filter((x) => x.via === "live" && x.kind === kind).length;
    const attempts = clients.flatMap((c) => c.attempts.filter((a) => a.at > kill.at && a.at < end));
    return {
      kill: k + 1,
      httpMs: kill.httpAt - kill.at,
      firstJoinMs: rejoins.length ? Math.min(...rejoins.map((r) => r.join.at)) - kill.at : null,
      allJoinedMs: allJoinedAt === null ? null : allJoinedAt - kill.at,
      allCaughtUpMs: allCaughtUpAt === null ? null : allCaughtUpAt - kill.at,
      outboxDrainedMs: waited.length ? Math.max(...waited.map((x) => x.at)) - kill.at : 0,
      replayedEvents: rejoins.reduce((n, r) => n + r.client.events.filter((e) => e.conn === r.join.conn && e.seq < r.join.joinSeq).length, 0),
      inFlight: inFlight.length,
      inFlightVia: { replay: via("replay"), ACK: via("ACK"), live: via("live") },
      resentKinds: { chat: resent("chat"), question: resent("question"), hand: resent("hand") },
      typedOffline: offline.length,
      connections: attempts.length,
      refusedAttempts: attempts.filter((a) => !a.opened).length,
      neverRejoined: missing,
    };
  });
}

export function printFigures({ recovery, result, clients, params, durations }) {
  console.log("\nRecovery, per kill (times from the SIGKILL):");
  console.log("  kill | app answers HTTP | first client joined | all joined | all caught up | outbox drained | replayed events | connections (refused)");
  for (const r of recovery) {
    console.log(
      `  ${String(r.kill).padStart(4)} | ${ms(r.httpMs).padStart(16)} | ${ms(r.firstJoinMs).padStart(19)} | ${ms(r.allJoinedMs).padStart(10)} | ${ms(r.allCaughtUpMs).padStart(13)} | ${ms(r.outboxDrainedMs).padStart(14)} | ${String(r.replayedEvents).padStart(15)} | ${r.connections} (${r.refusedAttempts})`,
    );
  }
  console.log("\nIn flight when the process died (sent, not yet confirmed), and how each was confirmed afterwards:");
  for (const r of recovery) {
    console.log(
      `  kill ${r.kill}: ${r.inFlight} in flight — ${r.inFlightVia.replay} by the replay (stored before the crash), ${r.inFlightVia.ACK} by an ACK to the resend (stored before the crash), ${r.inFlightVia.live} stored by the resend (lost with the process: ${r.resentKinds.chat} chat, ${r.resentKinds.question} questions, ${r.resentKinds.hand} hands); ${r.typedOffline} more typed while the room was down`,
    );
  }
  const kinds = ["chat", "question", "hand"];
  const sent = Object.fromEntries(kinds.map((k) => [k, 0]));
  const confirmed = Object.fromEntries(kinds.map((k) => [k, 0]));
  for (const c of clients) {
    for (const x of c.confirmed.values()) confirmed[x.kind] += 1;
    for (const x of c.outbox.values()) sent[x.kind] += 1;
  }
  for (const k of kinds) sent[k] += confirmed[k];
  const total = (f) => clients.reduce((n, c) => n + f(c), 0);
  console.log("\nCounts:");
  console.log(`  participants: 1 teacher + ${params.students} students, class of ${params.seconds} s, ${recovery.length} kills, seed ${params.seed}`);
  for (const k of kinds) console.log(`  ${k.padEnd(9)} written ${String(sent[k]).padStart(4)}, confirmed ${String(confirmed[k]).padStart(4)}`);
  console.log(`  shares    sent ${String(result.counts.sharesSent).padStart(7)}, echoed ${String(result.counts.sharesAcked).padStart(7)} (${total((c) => c.share.resends)} sent again after a reconnect)`);
  console.log(`  resends under the same clientId: ${total((c) => c.stats.resends)}; ACK frames (a resend found already stored): ${total((c) => c.stats.ackFrames)}; RATE_LIMITED and sent again: ${total((c) => c.stats.rateLimited)}`);
  console.log(`  reconnects: ${total((c) => c.joins.length - 1)} JOINs after the first, ${total((c) => c.stats.failedAttempts)} connection attempts refused while the app was down`);
  console.log(`  events: ${result.counts.events} distinct received (last seq ${result.counts.lastLogSeq}), the newest ${result.counts.replayed} also replayed to the audit; chat: ${result.counts.messagesStored} messages stored`);
  console.log(`  events delivered again because a client's resume point trailed what it had (harmless, within what it asked for): ${result.notes.redelivered}`);
  console.log(`  refusals the class expects (rate limits, a claim that had already landed): ${result.notes.expectedErrors}`);
  console.log(`  time: setup ${(durations.setup / 1000).toFixed(1)} s, class ${(durations.class / 1000).toFixed(1)} s, drain and audit ${(durations.audit / 1000).toFixed(1)} s`);
}
