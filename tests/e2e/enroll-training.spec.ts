import { arrowToRadio, expectAxeClean as axeClean, tabTo } from './axe'
import { EnrollmentPage } from './enrollment-page'
import { expect, test } from './station-fixture'

// Training mode, the whole issue flow in Chromium through the UI only: the built-in CM simulator and the in-memory
// readers, starting from the seeded Alice badge (issue "Issue a badge", acceptance "Training mode" and "Accessibility").

const READER0 = 'Station Virtual Reader 0'
const READER1 = 'Station Virtual Reader 1'
const ALICE_OLD_SMARTCARD = '7a000000-0000-4000-8000-000000000001'
const SERVER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000005'

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

  test('the whole issue flow with the keyboard only (Tab, arrows, Space, Enter)', async ({
    stationPage,
    station,
  }) => {
    const { page } = stationPage
    const key = (k: string) => page.keyboard.press(k)
    await tabTo(page, stationPage.reader(READER0).getByTestId('insert-card'))
    await key('Enter')
    await stationPage.waitForCardIdentified(READER0, 'registered')
    await tabTo(page, page.getByTestId('task-issue'))
    await key('Enter')
    const badge = page.locator(`[data-testid="holder-from-badge"][data-reader-name="${READER0}"]`)
    await arrowToRadio(page, badge)
    const template = page.locator(
      `[data-testid="template-option"][data-template-id="${SERVER_PIN_TEMPLATE}"]`,
    )
    await arrowToRadio(page, template)
    await tabTo(page, page.getByTestId('create-request'))
    await key('Enter')
    const flow = new EnrollmentPage(page)
    await flow.waitFor('card', 'needs-operator', 'insert-card')
    const rid = (await flow.flow.getAttribute('data-request-id'))!
    await tabTo(page, stationPage.reader(READER1).getByTestId('insert-card'))
    await key('Enter')
    await stationPage.waitForCardIdentified(READER1, 'not-registered')
    await tabTo(page, page.locator(`[data-testid="use-card"][data-reader-name="${READER1}"]`))
    await key('Enter')
    await flow.waitFor('pin', 'needs-holder', 'note-pin')
    await tabTo(page, page.getByTestId('reveal-pin'))
    await key('Space')
    await expect(page.getByTestId('server-pin')).toHaveAttribute('data-masked', 'false')
    await tabTo(page, page.getByTestId('pin-noted'))
    await key('Enter')
    await flow.waitFor('retire', 'needs-operator', 'confirm-retire')
    await tabTo(page, page.getByTestId('retire-confirm'))
    await key('Enter')
    await flow.waitForSummary()
    await tabTo(page, page.getByTestId('next-holder'))
    await key('Enter')
    await expect(page.getByTestId('task-issue')).toBeVisible()
    expect(station.simulator!.control.state().Requests.find((r) => r.Uuid === rid)?.Status).toBe(8)
  })

  test('retire a badge (its own task): the badge in a reader → reason → confirm → retired; axe on each screen', async ({
    stationPage,
    station,
  }) => {
    const { page } = stationPage
    await stationPage.reader(READER0).getByTestId('insert-card').click()
    await stationPage.waitForCardIdentified(READER0, 'registered')
    await page.getByTestId('task-retire').click()
    await axeClean(page, 'retire: choose the badge')
    await page.locator(`[data-testid="retire-badge"][data-reader-name="${READER0}"]`).click()
    await expect(page.getByTestId('retire-form')).toBeVisible()
    await axeClean(page, 'retire: policy')
    await page.getByTestId('retire-card').click()
    await expect(page.getByTestId('retire-card-confirm')).toBeVisible()
    await axeClean(page, 'retire: confirm dialog')
    await page.getByTestId('retire-card-confirm').click()
    const result = page.getByTestId('retire-result')
    await expect(result).toHaveAttribute('data-outcome', 'retired')
    // The dialog is gone and the page is not left hidden from assistive technology.
    await expect(page.locator('#root')).not.toHaveAttribute('aria-hidden', 'true')
    await axeClean(page, 'retire: result')
    expect(
      station.simulator!.control.state().Smartcards.find((c) => c.Uuid === ALICE_OLD_SMARTCARD)?.Status,
    ).toBe(6)
  })

  test('cancel before a card is bound: Canceled in CM; the page is usable afterwards (axe)', async ({
    stationPage,
    station,
  }) => {
    const { page } = stationPage
    const flow = new EnrollmentPage(page)
    await stationPage.reader(READER0).getByTestId('insert-card').click()
    await stationPage.waitForCardIdentified(READER0, 'registered')
    await flow.openIssue()
    const rid = await flow.startFromBadge(READER0, SERVER_PIN_TEMPLATE)
    await flow.waitFor('card', 'needs-operator', 'insert-card')
    // The dialog opens on the safe choice (a reflex Enter keeps going); Escape gives the focus back to Cancel.
    await page.getByTestId('cancel-enrollment').click()
    await expect(page.getByTestId('cancel-keep')).toBeFocused()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('cancel-enrollment')).toBeFocused()
    await page.getByTestId('cancel-enrollment').click()
    await axeClean(page, 'cancel dialog')
    await page.getByTestId('cancel-confirm').click()
    await expect(page.getByTestId('enrollment-ended')).toHaveAttribute('data-outcome', 'canceled')
    await expect(page.locator('#root')).not.toHaveAttribute('aria-hidden', 'true')
    await axeClean(page, 'canceled')
    expect(station.simulator!.control.state().Requests.find((r) => r.Uuid === rid)?.Status).toBe(17)
  })
})
