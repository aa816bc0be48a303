/**
 * An editor's language, kept in this browser beside the editor's draft: after
 * a reload, TypeScript code is still run as TypeScript instead of failing as
 * JavaScript with an error that names neither.
 */
import { createSignal, type Accessor } from "solid-js";
import { Language } from "../../../protocol";
import { readStorage, writeStorage } from "../lib/storage";

/** `draft` is the draft's own storage key; the language is kept next to it. */
export function keptLanguage(draft: string): [Accessor<Language>, (next: Language) => void] {
  const key = `${draft}.language`;
  const stored = Language.safeParse(readStorage(key));
  const [language, setLanguage] = createSignal<Language>(stored.success ? stored.data : "javascript");
  return [
    language,
    (next) => {
      setLanguage(next);
      writeStorage(key, next);
    },
  ];
}

