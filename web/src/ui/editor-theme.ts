/**
 * The editors' light and dark looks. Their colours are the palette's CSS
 * variables (theme.css), so a theme change recolours every open editor
 * without reconfiguring it. Only CodeMirror's own light/dark switch, which
 * its search panel, tooltips and diff markings follow, is part of the
 * editor's state: each editor flips it when <html data-theme> changes.
 */
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Compartment, type Extension } from "@codemirror/state";
import { EditorView, ViewPlugin } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

// No background: the element the editor sits in gives it (a read-only editor's is greyed).
const colours = EditorView.theme({
  "&": { color: "var(--ink)" },
  ".cm-content": { caretColor: "var(--ink)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--ink)" },
  ".cm-gutters": { backgroundColor: "var(--editor-gutter-bg)", color: "var(--editor-gutter-ink)", borderRight: "1px solid var(--line)" },
  ".cm-activeLine": { backgroundColor: "var(--editor-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active-gutter)" },
  // The base theme's own selector for a focused editor's selection, which a shorter one would not outrank.
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground": {
    backgroundColor: "var(--editor-selection)",
  },
});

const highlighting = HighlightStyle.define([
  { tag: t.keyword, color: "var(--code-keyword)" },
  { tag: [t.atom, t.bool, t.url, t.contentSeparator, t.labelName], color: "var(--code-atom)" },
  { tag: [t.literal, t.inserted], color: "var(--code-literal)" },
  { tag: [t.string, t.deleted], color: "var(--code-string)" },
  { tag: [t.regexp, t.escape, t.special(t.string)], color: "var(--code-regexp)" },
  { tag: t.definition(t.variableName), color: "var(--code-definition)" },
  { tag: t.local(t.variableName), color: "var(--code-local)" },
  { tag: [t.typeName, t.namespace], color: "var(--code-type)" },
  { tag: t.className, color: "var(--code-class)" },
  { tag: [t.special(t.variableName), t.macroName], color: "var(--code-special)" },
  { tag: t.definition(t.propertyName), color: "var(--code-property)" },
  { tag: t.comment, color: "var(--code-comment)" },
  { tag: t.meta, color: "var(--code-meta)" },
  { tag: t.invalid, color: "var(--code-invalid)" },
  { tag: t.link, textDecoration: "underline" },
  { tag: t.heading, textDecoration: "underline", fontWeight: "bold" },
  { tag: t.emphasis, fontStyle: "italic" },
  { tag: t.strong, fontWeight: "bold" },
  { tag: t.strikethrough, textDecoration: "line-through" },
]);

const darkness = new Compartment();
const pageIsDark = () => document.documentElement.dataset.theme === "dark";

const followPage = ViewPlugin.define((view) => {
  const observer = new MutationObserver(() => {
    const dark = pageIsDark();
    if (view.state.facet(EditorView.darkTheme) !== dark) view.dispatch({ effects: darkness.reconfigure(EditorView.darkTheme.of(dark)) });
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return { destroy: () => observer.disconnect() };
});

/** The page's theme for an editor; it follows later changes by itself. */
export function editorTheme(): Extension {
  return [colours, syntaxHighlighting(highlighting), darkness.of(EditorView.darkTheme.of(pageIsDark())), followPage];
}
