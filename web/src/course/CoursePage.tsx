/**
 * A course: its schedule with a "Join live class" button that is active
 * while the class room is open; for staff, scheduling and room controls;
 * for the instructor, the roster and the invite link, and while the course
 * is new, its first steps above everything else.
 */
import { For, Show, createResource, onCleanup } from "solid-js";
import { CourseFiles } from "../files/CourseFiles";
import { CourseLectures } from "../lectures/CourseLectures";
import { AssignmentList } from "../homework/AssignmentList";
import { AssignmentForm } from "../homework/AssignmentForm";
import { CourseChat } from "./CourseChat";
import { courseClock } from "./course-time";
import { CourseSettings } from "./CourseSettings";
import { GetStarted } from "./GetStarted";
import { InvitePanel } from "./InvitePanel";
import { RosterPanel } from "./RosterPanel";
import { ScheduleForm } from "./ScheduleForm";
import {
  archiveCourse,
  closeClass,
  extendClass,
  getCourse,
  listClasses,
  openClass,
  type ClassInfo,
  type CourseDetail,
} from "../lib/api";
import { navigate } from "../lib/router";

/** Re-read the schedule this often, so "Join" lights up when a class opens. */
const REFRESH_MS = 30_000;

export function CoursePage(props: { courseId: string }) {
  const [detail, { refetch: refetchCourse }] = createResource(() => props.courseId, getCourse);
  const [classResource, { refetch }] = createResource(() => props.courseId, listClasses);
  // Reading an errored resource throws; render from these instead.
  const classes = () => (classResource.error ? undefined : classResource());
  const timer = setInterval(() => refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const classCount = () => {
    const c = classes();
    return c ? c.upcoming.length + c.past.length : undefined;
  };
  /** "Schedule the first class": to the form, ready to type the title. */
  function toSchedule() {
    const title = document.querySelector<HTMLInputElement>('#schedule-form input[name="title"]');
    title?.scrollIntoView({ block: "center", behavior: "smooth" });
    title?.focus({ preventScroll: true });
  }

  return (
    <main class="course">
      <Show when={detail.error}>
        <p class="error banner" role="alert">
          This course does not exist, or you are not enrolled in it.
        </p>
      </Show>
      <Show when={!detail.error && detail()}>
        {(d) => {
          const staff = () => d().role !== "student";
          const clock = courseClock(d().course.timezone);
          const span = (k: ClassInfo) => `${clock.when(k.startsAt)} – ${clock.time(k.endsAt)}`;
          return (
            <>
              <header class="course-head">
                <p class="muted">
                  {d().course.code} · {d().role === "ta" ? "TA" : d().role} · {clock.label}
                  <Show when={d().course.archived}> · archived</Show>
                </p>
                <h1>{d().course.title}</h1>
                <Show when={d().course.description}>
                  <p>{d().course.description}</p>
                </Show>
              </header>
              <div class="course-grid">
                <div class="course-main">
                  <Show when={d().invite && !d().course.archived}>
                    <GetStarted courseId={d().course.id} invite={d().invite!} classes={classCount()} onSchedule={toSchedule} />
                  </Show>
                  <section class="card" aria-label="Schedule">
                    <h2>Upcoming classes</h2>
                    <ul class="classes">
                      <For
                        each={classes()?.upcoming}
                        fallback={
                          <li class="empty">
                            {staff()
                              ? d().course.archived
                                ? "No upcoming classes: this course is archived."
                                : "No classes yet — schedule one to open a room for your students."
                              : "No classes yet. When your teacher schedules one, it appears here with a button to join it."}
                          </li>
                        }
                      >
                        {(k) => <ClassItem k={k} span={span(k)} staff={staff()} detail={d()} onChange={refetch} />}
                      </For>
                    </ul>
                    <Show when={classes()?.past.length}>
                      <h2>Past classes</h2>
                      <ul class="classes past">
                        <For each={classes()?.past}>{(k) => <li>{k.title} <span class="muted">{span(k)}</span></li>}</For>
                      </ul>
                    </Show>
                    <Show when={d().role === "student"}>
                      <label class="small">
                        Calendar feed
                        <input readOnly value={d().calendarUrl} onFocus={(e) => e.currentTarget.select()} />
                      </label>
                    </Show>
                  </section>
                  <Show when={staff() && !d().course.archived}>
                    <ScheduleForm courseId={d().course.id} timezone={d().course.timezone} onScheduled={refetch} />
                  </Show>
                  <CourseChat courseId={d().course.id} role={d().role} />
                </div>
                <div class="stack">
                  <AssignmentList courseId={d().course.id} timezone={d().course.timezone} staff={staff()} />
                  <CourseLectures courseId={d().course.id} staff={staff()} canChange={!d().course.archived} />
                  <CourseFiles courseId={d().course.id} staff={staff()} canChange={!d().course.archived} />
                  <Show when={staff() && !d().course.archived}>
                    <AssignmentForm courseId={d().course.id} timezone={d().course.timezone} />
                  </Show>
                  <Show when={d().invite && !d().course.archived}>
                    <InvitePanel courseId={d().course.id} invite={d().invite!} calendarUrl={d().calendarUrl} onChange={refetchCourse} />
                  </Show>
                  <Show when={staff()}>
                    <RosterPanel courseId={d().course.id} canManage={d().role === "instructor"} />
                  </Show>
                  <Show when={d().role === "instructor" && !d().course.archived}>
                    <CourseSettings course={d().course} onSaved={refetchCourse} />
                    <button
                      class="link danger"
                      onClick={async () => {
                        if (!confirm("Archive this course? It stays readable but can no longer change.")) return;
                        await archiveCourse(d().course.id);
                        refetchCourse();
                      }}
                    >
                      Archive course
                    </button>
                  </Show>
                </div>
              </div>
            </>
          );
        }}
      </Show>
    </main>
  );
}

function ClassItem(props: { k: ClassInfo; span: string; staff: boolean; detail: CourseDetail; onChange: () => void }) {
  const act = async (fn: () => Promise<unknown>) => {
    await fn();
    props.onChange();
  };
  const enter = () => navigate(`/room/${props.k.roomId}`);
  return (
    <li class="class-item" data-testid="class-item">
      <div>
        <strong>{props.k.title}</strong>
        <div class="muted">{props.span}</div>
      </div>
      <div class="row">
        <span class={`badge ${props.k.open ? "badge-joined" : ""}`}>
          {props.k.open ? "Open now" : props.k.cancelled ? "Called off" : "Closed"}
        </span>
        <Show
          when={props.staff}
          fallback={
            <button classList={{ primary: props.k.open }} disabled={!props.k.open} onClick={enter}>
              Join live class
            </button>
          }
        >
          <button classList={{ primary: props.k.open }} onClick={enter}>
            Enter room
          </button>
          <Show when={!props.detail.course.archived}>
            <Show when={props.k.open} fallback={<button onClick={() => act(() => openClass(props.k.id))}>Open now</button>}>
              <button onClick={() => act(() => closeClass(props.k.id))}>Close</button>
            </Show>
            <button onClick={() => act(() => extendClass(props.k.id, 15))}>+15 min</button>
          </Show>
        </Show>
      </div>
    </li>
  );
}
