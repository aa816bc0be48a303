/** The top bar's theme choice: follow the system ("Auto"), or always light or dark. Short words: the room's top bar is full. */
import { setThemeChoice, themeChoice, type ThemeChoice } from "./theme";

export function ThemeToggle() {
  return (
    <select
      class="theme-choice"
      aria-label="Theme"
      value={themeChoice()}
      onChange={(e) => setThemeChoice(e.currentTarget.value as ThemeChoice)}
      data-testid="theme-choice"
    >
      <option value="system">Auto</option>
      <option value="light">Light</option>
      <option value="dark">Dark</option>
    </select>
  );
}
