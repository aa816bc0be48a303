/** The course roster for staff; the instructor can promote, demote and remove. */
import { For, Show, createResource } from "solid-js";
import { getRoster, removeMember, setMemberRole, type CourseRole } from "../lib/api";

const ROLE_LABEL: Record<CourseRole, string> = { instructor: "Instructor", ta: "TA", student: "Student" };

export function RosterPanel(props: { courseId: string; canManage: boolean }) {
  const [members, { mutate, refetch }] = createResource(() => props.courseId, getRoster);

  return (
    <section class="card" aria-label="Course roster">
      <div class="row spread">
        <h3>Roster</h3>
        <button class="link" onClick={() => refetch()}>
          Refresh
        </button>
      </div>
      <table class="roster-table">
        <tbody>
          <For each={members()}>
            {(m) => (
              <tr>
                <td>{m.name}</td>
                <td class="muted">{m.email}</td>
                <td>{ROLE_LABEL[m.role]}</td>
                <td>
                  <Show when={props.canManage && m.role !== "instructor"}>
                    <button
                      class="link"
                      onClick={async () => mutate(await setMemberRole(props.courseId, m.userId, m.role === "ta" ? "student" : "ta"))}
                    >
                      {m.role === "ta" ? "Make student" : "Make TA"}
                    </button>{" "}
                    <button
                      class="link danger"
                      onClick={async () => {
                        if (!confirm(`Remove ${m.name} from the course?`)) return;
                        await removeMember(props.courseId, m.userId);
                        refetch();
                      }}
                    >
                      Remove
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
