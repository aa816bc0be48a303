/** The room's side tabs: chat, questions and the help queue (whose content differs for staff and students). */
import { createSignal, type JSX } from "solid-js";
import type { RoomSession } from "../pages/RoomPage";
import { ChatPanel } from "./ChatPanel";
import { QuestionBoard } from "./QuestionBoard";
import { SideTabs } from "./SideTabs";

export function RoomTabs(props: {
  session: RoomSession;
  isStaff: boolean;
  currentCode: () => string;
  help: () => JSX.Element;
  /** Shown on the Help tab (for staff: hands waiting). */
  helpCount?: number;
}) {
  const [tab, setTab] = createSignal("chat");
  return (
    <SideTabs
      active={tab()}
      onSelect={(id) => {
        setTab(id);
        props.session.chat.setVisible(id === "chat");
      }}
      tabs={[
        {
          id: "chat",
          label: "Chat",
          count: props.session.chat.unread(),
          content: () => (
            <ChatPanel model={props.session.chat} me={props.session.username} isStaff={props.isStaff} currentCode={props.currentCode} />
          ),
        },
        { id: "questions", label: "Questions", content: () => <QuestionBoard board={props.session.board} isStaff={props.isStaff} /> },
        { id: "help", label: "Help", ...(props.helpCount ? { count: props.helpCount } : {}), content: props.help },
      ]}
    />
  );
}
