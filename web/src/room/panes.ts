/** The room's resizable panes, one size each per browser, shared by the student's and the teacher's views. */
import { createPaneSize } from "../ui/pane-size";

/** The side panel (roster, chat, questions, help): wide enough for chat, narrow enough to leave the editor room. */
export const sidePane = () => createPaneSize("side", 320, 240, 640);

/** The editor's height; the output panel takes what is below it. */
export const editorPane = () => createPaneSize("editor", Math.max(240, Math.round(window.innerHeight * 0.5)), 160, 2000);
