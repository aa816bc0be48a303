/**
 * The block structure of the chat's Markdown subset, as plain data: fenced
 * code, bulleted and numbered lists, and paragraphs (whose single line
 * breaks are kept, as chat writers mean them). Markdown.tsx renders it.
 */
export type Block =
  | { kind: "code"; lang: string; text: string }
  | { kind: "text"; lines: string[] }
  | { kind: "list"; ordered: boolean; start: number; items: string[] };

const FENCE = /^```([\w-]*)\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;

export function splitBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE.exec(line);
    const close = open ? lines.findIndex((l, j) => j > i && /^```\s*$/.test(l)) : -1;
    if (open && close !== -1) {
      blocks.push({ kind: "code", lang: open[1]!.toLowerCase(), text: lines.slice(i + 1, close).join("\n") });
      i = close;
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const last = blocks.at(-1);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      const item = bullet ? bullet[1]! : numbered![2]!;
      if (last?.kind === "list" && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: "list", ordered, start: numbered ? Number(numbered[1]) : 1, items: [item] });
    } else if (line.trim() === "") {
      // A blank line ends a paragraph or a list; it is not shown on its own.
      if (last?.kind !== "text" || last.lines.length > 0) blocks.push({ kind: "text", lines: [] });
    } else if (last?.kind === "text") last.lines.push(line);
    else blocks.push({ kind: "text", lines: [line] });
  }
  return blocks.filter((b) => b.kind !== "text" || b.lines.length > 0);
}
