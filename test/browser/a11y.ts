/**
 * Accessibility checks for the browser tests: axe-core's rules on the page
 * as it stands, plus the page-structure rules this app holds itself to.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Below these, a finding is advice rather than a barrier to someone using the page. */
const BLOCKING = new Set(["serious", "critical"]);

/**
 * Fails when axe finds a serious or critical violation on `page`, listing each
 * as its rule, impact and the selectors of the elements it found, so the
 * failure says what to fix without opening a trace; and when the page does
 * not have exactly one h1.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations
    .filter((v) => v.impact && BLOCKING.has(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}  ${n.html.slice(0, 120)}`).join("\n")}`);
  expect(found, `${label}: serious or critical accessibility violations`).toEqual([]);
  await expect(page.locator("h1"), `${label}: exactly one h1`).toHaveCount(1);
}

/** The ids used more than once in the document (a label or description pointing at one then names the wrong element). */
export function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll("[id]"), (el) => el.id);
    return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  });
}
