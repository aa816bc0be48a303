/** The top bar's theme choice: follow the system, or always light or dark. */
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
      <option value="system">System theme</option>
      <option value="light">Light</option>
      <option value="dark">Dark</option>
    </select>
  );
}
