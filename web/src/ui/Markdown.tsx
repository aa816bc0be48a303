/**
 * A small, safe subset of Markdown for chat: fenced code blocks (highlighted
 * as JavaScript/TypeScript), `inline code`, **bold**, *italics*, and http(s)
 * links. It builds DOM nodes, never HTML strings, so no message can inject
 * markup or script.
 */
import { javascriptLanguage, typescriptLanguage } from "@codemirror/lang-javascript";
import { classHighlighter, highlightCode } from "@lezer/highlight";
import { For, type JSX } from "solid-js";

type Block = { kind: "code"; lang: string; text: string } | { kind: "text"; text: string };

const FENCE = /^```([\w-]*)\s*$/;

export function splitBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.split("\n");
  let text: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    const close = open ? lines.findIndex((l, j) => j > i && /^```\s*$/.test(l)) : -1;
    if (!open || close === -1) {
      text.push(lines[i]!);
      continue;
    }
    if (text.length) blocks.push({ kind: "text", text: text.join("\n") });
    text = [];
    blocks.push({ kind: "code", lang: open[1]!.toLowerCase(), text: lines.slice(i + 1, close).join("\n") });
    i = close;
  }
  if (text.length) blocks.push({ kind: "text", text: text.join("\n") });
  return blocks;
}

const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\*[^*\n]+\*)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

function inline(text: string): JSX.Element[] {
  const out: JSX.Element[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const [token] = m;
    if (m[1]) out.push(<code>{token.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong>{token.slice(2, -2)}</strong>);
    else if (m[3]) out.push(<em>{token.slice(1, -1)}</em>);
    else
      out.push(
        <a href={token} target="_blank" rel="noopener noreferrer nofollow">
          {token}
        </a>,
      );
    last = m.index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function CodeBlock(props: { code: string; lang?: string }) {
  const pre = document.createElement("pre");
  pre.className = "code-block";
  const parser = (props.lang === "ts" || props.lang === "typescript" ? typescriptLanguage : javascriptLanguage).parser;
  highlightCode(
    props.code,
    parser.parse(props.code),
    classHighlighter,
    (text, classes) => {
      const span = document.createElement("span");
      if (classes) span.className = classes;
      span.textContent = text;
      pre.appendChild(span);
    },
    () => pre.appendChild(document.createTextNode("\n")),
  );
  return pre;
}

export function Markdown(props: { text: string }) {
  return (
    <div class="markdown">
      <For each={splitBlocks(props.text)}>
        {(block) =>
          block.kind === "code" ? (
            <CodeBlock code={block.text} lang={block.lang} />
          ) : (
            <p>
              <For each={block.text.split("\n")}>
                {(line, i) => (
                  <>
                    {i() > 0 && <br />}
                    {inline(line)}
                  </>
                )}
              </For>
            </p>
          )
        }
      </For>
    </div>
  );
}
