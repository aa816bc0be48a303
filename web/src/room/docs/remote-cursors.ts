/**
 * Other people's cursors in an editor: a caret with their name, and their
 * selection shaded. Positions move with every change, like our own cursor.
 */
import { StateEffect, StateField, type EditorState, type Extension } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, type DecorationSet } from "@codemirror/view";

export interface RemoteCursor {
  /** Who (their name in the room); one cursor each. */
  by: string;
  role: "Student" | "Teacher";
  anchor: number;
  head: number;
}

/** Sets (or, with only `by`, removes) one person's cursor. */
export const setRemoteCursor = StateEffect.define<RemoteCursor | { by: string }>();

class Caret extends WidgetType {
  constructor(
    readonly by: string,
    readonly role: string,
    /** On the first line the name goes under the caret: above it, the editor's top edge would cut it off. */
    readonly below: boolean,
  ) {
    super();
  }

  override eq(other: Caret): boolean {
    return other.by === this.by && other.role === this.role && other.below === this.below;
  }

  toDOM(view: EditorView) {
    const caret = view.dom.ownerDocument.createElement("span");
    caret.className = `cm-remote-caret cm-remote-${this.role.toLowerCase()}${this.below ? " cm-remote-below" : ""}`;
    caret.setAttribute("data-testid", "remote-cursor");
    // The name is drawn by CSS (::after), so it never reads as part of the code (copying, tests, screen readers).
    caret.setAttribute("data-name", this.by);
    caret.setAttribute("aria-label", `${this.by}'s cursor`);
    caret.setAttribute("role", "img");
    return caret;
  }

  override ignoreEvent(): boolean {
    return true;
  }
}

const cursors = StateField.define<readonly RemoteCursor[]>({
  create: () => [],
  update(value, tr) {
    let next = tr.docChanged
      ? value.map((c) => ({ ...c, anchor: tr.changes.mapPos(c.anchor), head: tr.changes.mapPos(c.head) }))
      : value;
    for (const e of tr.effects) {
      if (!e.is(setRemoteCursor)) continue;
      next = next.filter((c) => c.by !== e.value.by);
      if ("head" in e.value) next = [...next, e.value];
    }
    return next;
  },
  provide: (field) =>
    EditorView.decorations.compute([field], (state): DecorationSet => {
      const ranges = [];
      for (const c of state.field(field)) {
        const from = Math.min(c.anchor, c.head);
        const to = Math.max(c.anchor, c.head);
        if (from < to) ranges.push(Decoration.mark({ class: `cm-remote-selection cm-remote-${c.role.toLowerCase()}` }).range(from, to));
        const below = state.doc.lineAt(c.head).number === 1;
        ranges.push(Decoration.widget({ widget: new Caret(c.by, c.role, below), side: 1 }).range(c.head));
      }
      return Decoration.set(ranges, true);
    }),
});

export function remoteCursors(): Extension {
  return [
    cursors,
    EditorView.baseTheme({
      ".cm-remote-caret": { position: "relative", borderLeft: "2px solid #c2410c", marginLeft: "-1px", marginRight: "-1px" },
      ".cm-remote-caret.cm-remote-student": { borderLeftColor: "#047857" },
      ".cm-remote-caret::after": {
        content: "attr(data-name)",
        position: "absolute",
        bottom: "100%",
        left: "-2px",
        fontSize: "0.7rem",
        lineHeight: "1.1",
        padding: "0 3px",
        color: "#fff",
        background: "#c2410c",
        whiteSpace: "nowrap",
        borderRadius: "3px 3px 3px 0",
        pointerEvents: "none",
      },
      ".cm-remote-caret.cm-remote-student::after": { background: "#047857" },
      ".cm-remote-caret.cm-remote-below::after": { bottom: "auto", top: "100%", borderRadius: "0 3px 3px 3px" },
      ".cm-remote-selection": { background: "rgba(194, 65, 12, 0.18)" },
      ".cm-remote-selection.cm-remote-student": { background: "rgba(4, 120, 87, 0.18)" },
    }),
  ];
}

/** The cursors shown now. */
export function remoteCursorsOf(state: EditorState): readonly RemoteCursor[] {
  return state.field(cursors, false) ?? [];
}
