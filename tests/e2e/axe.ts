import AxeBuilder from '@axe-core/playwright'
import { expect, type Locator, type Page } from '@playwright/test'

/**
 * axe-core on the current screen: no serious or critical violation. Fluent UI's tabster focus-trap dummies
 * (`[data-tabster-dummy]`) are excluded: Fluent documents their `aria-hidden-focus` report as a false positive.
 */
export async function expectAxeClean(page: Page, screen: string): Promise<void> {
  // A dialog or message still fading in has its colours mid-transition: axe would measure a contrast no operator
  // sees once it has settled. Wait until no CSS animation or transition is running.
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: { getAnimations(): Array<{ playState: string }> } }).document
      .getAnimations()
      .every((a) => a.playState !== 'running'),
  )
  const result = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze()
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(bad.map((v) => `${screen}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual(
    [],
  )
}

/** True when `target` has the keyboard focus (itself or something inside it). */
async function focused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    // In the page: the e2e tsconfig has no DOM library, hence the structural types.
    const active = (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument
      .activeElement
    return el === active || (el as unknown as { contains(node: unknown): boolean }).contains(active)
  })
}

/**
 * Move the keyboard focus to `target` with Tab only (as an operator without a mouse does), up to `max` presses;
 * fails when Tab never reaches it (a control the keyboard cannot reach).
 */
export async function tabTo(page: Page, target: Locator, max = 120): Promise<void> {
  await expect(target).toBeVisible()
  for (let i = 0; i < max; i++) {
    if (await focused(target)) return
    await page.keyboard.press('Tab')
  }
  expect(await focused(target), `Tab never reached ${target.toString()}`).toBe(true)
}

/** Select the radio `target` with the keyboard: Tab into its radio group, then arrow keys until it is checked. */
export async function arrowToRadio(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target.locator('xpath=ancestor::*[@role="radiogroup"][1]'))
  for (let i = 0; i < 20 && !(await target.isChecked()); i++) await page.keyboard.press('ArrowDown')
  if (!(await target.isChecked())) await page.keyboard.press('Space')
  await expect(target).toBeChecked()
}
