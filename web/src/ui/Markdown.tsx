/**
 * A small, safe subset of Markdown for chat: fenced code blocks (highlighted
 * as JavaScript/TypeScript), bulleted and numbered lists, `inline code`,
 * **bold**, *italics*, and http(s) links. It builds DOM nodes, never HTML strings, so no message can inject
 * markup or script.
 */
import { javascriptLanguage, typescriptLanguage } from "@codemirror/lang-javascript";
import { classHighlighter, highlightCode } from "@lezer/highlight";
import { For, Match, Switch, type JSX } from "solid-js";
import { splitBlocks } from "./markdown-blocks";

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
        {(block) => (
          <Switch>
            <Match when={block.kind === "code" && block} keyed>
              {(code) => <CodeBlock code={code.text} lang={code.lang} />}
            </Match>
            <Match when={block.kind === "list" && block} keyed>
              {(list) => {
                const items = <For each={list.items}>{(item) => <li>{inline(item)}</li>}</For>;
                return list.ordered ? <ol start={list.start}>{items}</ol> : <ul>{items}</ul>;
              }}
            </Match>
            <Match when={block.kind === "text" && block} keyed>
              {(text) => (
                <p>
                  <For each={text.lines}>
                    {(line, i) => (
                      <>
                        {i() > 0 && <br />}
                        {inline(line)}
                      </>
                    )}
                  </For>
                </p>
              )}
            </Match>
          </Switch>
        )}
      </For>
    </div>
  );
}
