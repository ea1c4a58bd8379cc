import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { parseConfig } from '../../electron/services/config'
import { createMemoryLogger } from '../../electron/services/log'
import { createStation } from '../../electron/station/station'
import { expectAxeClean } from './axe'
import { EnrollmentPage } from './enrollment-page'
import { expect, test as base } from './station-fixture'

// Kiosk mode in the browser preview (issue "The station on a managed Windows desk", kiosk): the idle reset and the
// badge-removal reset live in the renderer and main's services, so they run here in Chromium on a training station.
// A short idle time: idleTimeoutSec 12 → the countdown is its second half, 6 s (min(30 s, timeout/2)). The count is
// held while the station works, so only the test's own pauses count; waits are for the dialog or the page, never
// for a time.

const IDLE_TIMEOUT_SEC = 12
const READER0 = 'Station Virtual Reader 0'
const READER1 = 'Station Virtual Reader 1'
const SERVER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000005'
const HOLDER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000006'
const TYPED_PIN = 'Kiosk-Pin-2026'
/** Long enough for the idle time and its countdown, on a busy machine. */
const IDLE_WAIT = { timeout: (IDLE_TIMEOUT_SEC + 20) * 1000 }

const test = base.extend({
  // eslint-disable-next-line no-empty-pattern
  station: async ({}, use) => {
    const station = await createStation({
      config: parseConfig({ kiosk: true, idleTimeoutSec: IDLE_TIMEOUT_SEC }),
      log: createMemoryLogger(),
      host: 'preview',
      version: 'e2e',
      dataDir: mkdtempSync(join(tmpdir(), 'station-kiosk-e2e-')),
    })
    await use(station)
    await station.close()
  },
})

const countdown = (page: Page) => page.getByTestId('idle-countdown')

/** From Home: Alice's badge in reader 0, a new request on `template`, the new card in reader 1 — until its PIN step. */
async function toPinStep(page: Page, template: string): Promise<{ flow: EnrollmentPage; rid: string }> {
  const flow = new EnrollmentPage(page)
  const row = (name: string) => page.locator(`[data-testid="reader-row"][data-reader-name="${name}"]`)
  await row(READER0).getByTestId('insert-card').click()
  await expect(page.locator(`[data-testid="card-details"][data-reader-name="${READER0}"]`)).toHaveAttribute(
    'data-phase',
    'registered',
  )
  await flow.openIssue()
  const rid = await flow.startFromBadge(READER0, template)
  await flow.waitFor('card', 'needs-operator', 'insert-card')
  await row(READER1).getByTestId('insert-card').click()
  await expect(page.locator(`[data-testid="use-card"][data-reader-name="${READER1}"]`)).toBeEnabled()
  await flow.useCard(READER1)
  return { flow, rid }
}

/** Home lists the enrollment in progress; Resume opens it. */
async function resume(page: Page, rid: string): Promise<void> {
  const item = page.locator(`[data-testid="in-progress-item"][data-request-id="${rid}"]`)
  await expect(item).toBeVisible()
  await item.getByTestId('resume-enrollment').click()
}

test.describe('kiosk mode in the browser preview', () => {
  test('idle: the countdown (accessible, Continue focused) keeps the page; expired, Home with the PIN gone; resumed and completed; taking the new badge is Next holder', async ({
    stationPage,
    consoleErrors,
  }) => {
    test.setTimeout(180_000)
    const { page } = stationPage
    const { flow, rid } = await toPinStep(page, HOLDER_PIN_TEMPLATE)
    await flow.waitFor('pin', 'needs-holder', 'holder-chooses-pin')
    await page.getByTestId('holder-pin').fill(TYPED_PIN)

    // Nobody types: "Still there?" with the keyboard focus on Continue, clean under axe.
    await expect(countdown(page)).toBeVisible(IDLE_WAIT)
    await expect(countdown(page)).toHaveAttribute('role', 'alertdialog')
    await expect(page.getByTestId('idle-continue')).toBeFocused()
    await expect(page.getByTestId('idle-seconds')).toContainText('Returning to the start in')
    await expectAxeClean(page, 'idle countdown')
    // Enter on Continue: the page and what was typed stay.
    await page.keyboard.press('Enter')
    await expect(countdown(page)).toBeHidden()
    await expect(flow.flow).toHaveAttribute('data-prompt', 'holder-chooses-pin')
    await expect(page.getByTestId('holder-pin')).toHaveValue(TYPED_PIN)

    // Nobody comes back: Home, the enrollment in progress listed, the PIN field gone.
    await expect(countdown(page)).toBeVisible(IDLE_WAIT)
    await expect(page.getByTestId('task-issue')).toBeVisible(IDLE_WAIT)
    await expect(countdown(page)).toBeHidden()
    await expect(page.getByTestId('holder-pin')).toHaveCount(0)
    expect(await page.content()).not.toContain(TYPED_PIN)
    await expectAxeClean(page, 'home after the idle reset')

    // Resumed from Home: the PIN entry is empty; the holder chooses the PIN and the badge is issued.
    await resume(page, rid)
    await expect(page.getByTestId('holder-pin')).toHaveValue('')
    await flow.holderChoosesPin(TYPED_PIN)
    await flow.waitFor('retire', 'needs-operator', 'confirm-retire')
    await flow.confirmRetire()
    await flow.waitForSummary()

    // The holder takes the new badge: "Next holder" — Home, the finished enrollment forgotten.
    await page
      .locator(`[data-testid="reader-row"][data-reader-name="${READER1}"]`)
      .getByTestId('remove-card')
      .click()
    await expect(page.getByTestId('task-issue')).toBeVisible()
    await expect(page.locator(`[data-testid="in-progress-item"][data-request-id="${rid}"]`)).toHaveCount(0)
    expect(consoleErrors).toEqual([])
  })

  test('idle after the server PIN was shown: main forgets the PIN too — resumed, the holder types it to finish', async ({
    stationPage,
  }) => {
    test.setTimeout(180_000)
    const { page } = stationPage
    const { flow, rid } = await toPinStep(page, SERVER_PIN_TEMPLATE)
    await flow.waitFor('pin', 'needs-holder', 'note-pin')
    const pin = await flow.readServerPin()

    await expect(page.getByTestId('task-issue')).toBeVisible(IDLE_WAIT)
    expect(await page.content()).not.toContain(pin)

    await resume(page, rid)
    // The page no longer has the PIN to show, and main no longer holds it: the certificate step asks the holder.
    await expect(page.getByTestId('pin-gone')).toBeVisible()
    await flow.pinNoted()
    await flow.waitFor('certificates', 'needs-holder', 'holder-enters-pin')
    await page.getByTestId('provide-pin').fill(pin)
    await page.getByTestId('provide-pin-submit').click()
    await flow.waitFor('retire', 'needs-operator', 'confirm-retire')
  })

  test('no context menu, no drops: the page refuses them and stays', async ({ stationPage }) => {
    const { page } = stationPage
    await expect(page.getByTestId('task-issue')).toBeVisible()
    const url = page.url()
    // Record, after the page's own handlers ran, whether they refused the event.
    await page.evaluate(() => {
      const w = globalThis as unknown as {
        refused: string[]
        addEventListener(type: string, fn: (e: { type: string; defaultPrevented: boolean }) => void): void
      }
      w.refused = []
      for (const type of ['contextmenu', 'dragover', 'drop']) {
        w.addEventListener(type, (e) => {
          if (e.defaultPrevented) w.refused.push(e.type)
        })
      }
    })
    await page.getByTestId('task-issue').click({ button: 'right' })
    // A file dropped on the page (the browser would open it in place of the station).
    const dataTransfer = await page.evaluateHandle(() => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(f: unknown): void } }
        File: new (parts: string[], name: string, o: { type: string }) => unknown
      }
      const dt = new g.DataTransfer()
      dt.items.add(new g.File(['id,name'], 'holders.csv', { type: 'text/csv' }))
      return dt
    })
    await page.getByTestId('task-issue').dispatchEvent('dragover', { dataTransfer })
    await page.getByTestId('task-issue').dispatchEvent('drop', { dataTransfer })
    expect(await page.evaluate(() => (globalThis as unknown as { refused: string[] }).refused)).toEqual([
      'contextmenu',
      'dragover',
      'drop',
    ])
    expect(page.url()).toBe(url)
  })
})
