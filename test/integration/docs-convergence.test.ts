/**
 * A property test of live documents: a student and the teacher type into
 * the student's editor at once, drop their connections, come back, and the
 * room is evicted now and then. Afterwards both editors and the stored
 * document hold the same text, and every change either side made is stored
 * exactly once.
 */
import { env, evictDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CollabEditor } from "../helpers/collab-editor";
import { fuzzSeed } from "../helpers/fuzz-gen";
import { TestClient, createRoom } from "../helpers/client";
import { signUp } from "../helpers/users";

type Step =
  | { kind: "edit"; who: 0 | 1; at: number; remove: number; insert: string }
  | { kind: "sync"; who: 0 | 1 }
  | { kind: "drop"; who: 0 | 1 }
  | { kind: "evict" };

const who = fc.constantFrom<0 | 1>(0, 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("edit" as const), who, at: fc.nat(200), remove: fc.nat(4), insert: fc.string({ maxLength: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("sync" as const), who }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), who }) },
  { weight: 1, arbitrary: fc.constant({ kind: "evict" as const }) },
);

describe("live documents converge", () => {
  it("under concurrent typing, drops and evictions, both sides and the room end with the same text, every change stored once", { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
        const grace = await signUp("Grace");
        const { roomId, teacherToken } = await createRoom(undefined, grace);
        const ada = await signUp("Ada");
        const editors = [new CollabEditor(ada, roomId, "student:Ada", "Student"), new CollabEditor(grace, roomId, "student:Ada", "Teacher", teacherToken)];
        for (const e of editors) await e.connect();
        let drops = 0;
        for (const s of steps) {
          if (s.kind === "evict") {
            // Evicting a room that is not running (hibernating already) is refused, and changes nothing.
            await evictDurableObject(env.ROOM.getByName(roomId)).catch(() => {});
            continue;
          }
          const e = editors[s.who]!;
          // A browser reconnects by itself (a few times a run: the room limits how fast one account opens sockets).
          if (!e.online && drops < 6) await e.connect();
          if (s.kind === "edit") e.edit(s.at, s.remove, s.insert);
          if (s.kind === "sync") await e.sync();
          if (s.kind === "drop" && drops < 4) {
            e.drop();
            drops += 1;
          }
        }
        // Everyone back and quiet.
        for (const e of editors) if (!e.online) await e.connect();
        for (let round = 0; round < 30 && !editors.every((e) => e.settled()); round++) for (const e of editors) await e.sync(60);
        for (let round = 0; round < 3; round++) for (const e of editors) await e.sync(60);

        const observer = await TestClient.joined(roomId, grace, "Teacher", teacherToken);
        observer.send({ username: "Grace", action: "DOC_PULL", roomId, payload: { doc: "student:Ada", version: 0 } } as never);
        let log = await observer.next();
        while (log.responseType !== "DOC_UPDATES") log = await observer.next();
        observer.send({ username: "Grace", action: "DOC_SUBSCRIBE", roomId, payload: { docs: ["student:Ada"] } } as never);
        let snapshot = await observer.next();
        while (snapshot.responseType !== "DOC_SNAPSHOT") snapshot = await observer.next();

        expect(editors.every((e) => e.settled())).toBe(true);
        expect(editors[0]!.text).toBe(editors[1]!.text);
        expect(snapshot.payload.text).toBe(editors[0]!.text);
        // Each change either side made is in the log exactly once.
        const byClient = new Map<string, number>();
        for (const u of log.payload.updates) byClient.set(u.clientID, (byClient.get(u.clientID) ?? 0) + 1);
        expect(byClient.get(`Student-${ada.user.id}`) ?? 0).toBe(editors[0]!.edits);
        expect(byClient.get(`Teacher-${grace.user.id}`) ?? 0).toBe(editors[1]!.edits);
        for (const e of [...editors.map((x) => x.socket), observer]) e?.ws.close();
      }),
      { numRuns: 12, seed: fuzzSeed(20261202) },
    );
  });
});
