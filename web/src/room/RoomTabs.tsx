/** The room's side tabs: chat, questions, the help queue and, in a course's class, homework (their content differs for staff and students). */
import { createSignal, type JSX } from "solid-js";
import { ChatPanel } from "../chat/ChatPanel";
import { SideTabs } from "../ui/SideTabs";
import { QuestionBoard } from "./QuestionBoard";
import { useRoom } from "./session";

export function RoomTabs(props: {
  currentCode: () => string;
  help: () => JSX.Element;
  /** Shown on the Help tab (for staff: hands waiting). */
  helpCount?: number;
  /** Only class rooms belong to a course, and so have homework. */
  homework?: (() => JSX.Element) | undefined;
}) {
  const session = useRoom();
  const isStaff = session.role === "Teacher";
  const [tab, setTab] = createSignal("chat");
  return (
    <SideTabs
      active={tab()}
      onSelect={(id) => {
        setTab(id);
        session.chat.setVisible(id === "chat");
      }}
      tabs={[
        {
          id: "chat",
          label: "Chat",
          count: session.chat.unread(),
          content: () => <ChatPanel model={session.chat} me={session.username} isStaff={isStaff} currentCode={props.currentCode} />,
        },
        { id: "questions", label: "Questions", content: () => <QuestionBoard board={session.board} isStaff={isStaff} /> },
        { id: "help", label: "Help", ...(props.helpCount ? { count: props.helpCount } : {}), content: props.help },
        ...(props.homework ? [{ id: "homework", label: "Homework", content: props.homework }] : []),
      ]}
    />
  );
}
