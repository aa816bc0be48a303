/**
 * Light or dark: the person's choice, or the system's while they have made
 * none. The choice is kept in localStorage; the page's theme is the
 * <html data-theme> attribute, which the inline script in web/index.html sets
 * before the first paint with the same rule as `resolve` here.
 */
import { createSignal } from "solid-js";
import { readStorage, writeStorage } from "../lib/storage";

export type ThemeChoice = "system" | "light" | "dark";

const KEY = "theme";
const systemDark = matchMedia("(prefers-color-scheme: dark)");

/** With storage off (private modes, policies), the system decides. */
function stored(): ThemeChoice {
  const value = readStorage(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

const [choice, setChoiceSignal] = createSignal<ThemeChoice>(stored());
export const themeChoice = choice;

const resolve = (c: ThemeChoice): "light" | "dark" => (c === "system" ? (systemDark.matches ? "dark" : "light") : c);
const apply = () => {
  document.documentElement.dataset.theme = resolve(choice());
};

export function setThemeChoice(c: ThemeChoice): void {
  writeStorage(KEY, c === "system" ? null : c);
  setChoiceSignal(c);
  apply();
}

// The system's setting can change while the page is open (a dark mode at sunset).
systemDark.addEventListener("change", apply);
// Another tab's choice applies here too.
addEventListener("storage", (e) => {
  if (e.key !== KEY && e.key !== null) return;
  setChoiceSignal(stored());
  apply();
});
apply();
