/** Tabs for the side panel (chat, questions, help), each with an optional count. */
import { For, type JSX } from "solid-js";

export interface Tab {
  id: string;
  label: string;
  count?: number;
  content: () => JSX.Element;
}

export function SideTabs(props: { tabs: Tab[]; active: string; onSelect: (id: string) => void }) {
  return (
    <div class="side-tabs">
      <div role="tablist" class="tablist">
        <For each={props.tabs}>
          {(t) => (
            <button role="tab" aria-selected={props.active === t.id} onClick={() => props.onSelect(t.id)}>
              {t.label}
              {t.count ? <span class="dot">{t.count}</span> : null}
            </button>
          )}
        </For>
      </div>
      <For each={props.tabs}>
        {(t) => (
          <div role="tabpanel" hidden={props.active !== t.id}>
            {t.content()}
          </div>
        )}
      </For>
    </div>
  );
}
