/** The room's resizable panes, one size each per browser, shared by the student's and the teacher's views. */
import type { Accessor } from "solid-js";
import { createPaneSize } from "../ui/pane-size";

/** The side panel (roster, chat, questions, help): wide enough for chat, narrow enough to leave the editor room. */
export const sidePane = () => createPaneSize("side", 320, 240, 640);

/** The editor's height: by default, and at most, what leaves the output panel on screen below it (`fit`). */
export const editorPane = (fit: Accessor<number>) => createPaneSize("editor", fit, 160, fit);
