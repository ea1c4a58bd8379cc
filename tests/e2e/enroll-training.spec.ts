import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { EnrollmentPage } from './enrollment-page'
import { expect, test } from './station-fixture'

// Training mode, the whole issue flow in Chromium through the UI only: the built-in CM simulator and the in-memory
// readers, starting from the seeded Alice badge (issue "Issue a badge", acceptance "Training mode" and "Accessibility").

const READER0 = 'Station Virtual Reader 0'
const READER1 = 'Station Virtual Reader 1'
const ALICE_OLD_SMARTCARD = '7a000000-0000-4000-8000-000000000001'
const SERVER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000005'

/** axe on the current screen: no serious or critical violation (Fluent's focus-trap dummies excluded, by design). */
async function axeClean(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze()
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(bad.map((v) => `${screen}: ${v.id} (${v.nodes.length})`)).toEqual([])
}

test.describe('issue a badge in training mode (Chromium, UI only)', () => {
  test('from Alice’s badge: new request → bind → admin key → server PIN → certificates → retire → complete', async ({
    stationPage,
    station,
    consoleErrors,
  }) => {
    const { page } = stationPage
    const flow = new EnrollmentPage(page)
    await stationPage.reader(READER0).getByTestId('insert-card').click()
    await stationPage.waitForCardIdentified(READER0, 'registered')
    await axeClean(page, 'home')

    await flow.openIssue()
    await axeClean(page, 'holder & request')
    const rid = await flow.startFromBadge(READER0, SERVER_PIN_TEMPLATE)
    await flow.waitFor('card', 'needs-operator', 'insert-card')
    await axeClean(page, 'insert card')

    await stationPage.reader(READER1).getByTestId('insert-card').click()
    await stationPage.waitForCardIdentified(READER1, 'not-registered')
    await flow.useCard(READER1)
    await flow.waitFor('pin', 'needs-holder', 'note-pin')
    await axeClean(page, 'server PIN')
    const pin = await flow.readServerPin()
    expect(pin).toMatch(/^\d{8}$/)
    await flow.pinNoted()

    await flow.waitFor('retire', 'needs-operator', 'confirm-retire')
    await axeClean(page, 'retire checklist')
    const old = flow.retireCandidate(ALICE_OLD_SMARTCARD)
    await expect(old.getByRole('checkbox')).toBeChecked()
    await flow.confirmRetire()
    const summary = await flow.waitForSummary()
    await axeClean(page, 'summary')
    await expect(summary).toContainText(rid)
    await expect(summary).toContainText('Alice Martins')

    // The simulator's records: request Completed, the new card Active, the old badge Retired.
    const state = station.simulator!.control.state()
    const request = state.Requests.find((r) => r.Uuid === rid)!
    expect(request.Status).toBe(8)
    expect(state.Smartcards.find((c) => c.Uuid === request.NewSmartcardUuid)?.Status).toBe(3)
    expect(state.Smartcards.find((c) => c.Uuid === ALICE_OLD_SMARTCARD)?.Status).toBe(6)

    await page.getByTestId('next-holder').click()
    await expect(page.getByTestId('task-issue')).toBeVisible()
    expect(consoleErrors).toEqual([])
  })
})
