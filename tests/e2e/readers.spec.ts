import { startLab, stopLab, LAB } from '../lab/pcsc-lab'
import { spawnVirtualCard } from '../lab/virtual-card-process'
import { expect, LAB_SKIP_REASON, test } from './station-fixture'

const [READER0, READER1] = LAB.readers

test.describe('live reader status through the preview bridge (real pcscd + vpcd)', () => {
  test.skip(LAB_SKIP_REASON !== '', `PC/SC lab unavailable: ${LAB_SKIP_REASON}`)

  test('card insert/remove in reader 0 and then reader 1 appears live', async ({
    stationPage,
    consoleErrors,
  }) => {
    await stationPage.waitForServiceState('available')
    await stationPage.waitForCardAbsent(READER0)
    await stationPage.waitForCardAbsent(READER1)

    for (const [slot, reader] of [
      [0, READER0],
      [1, READER1],
    ] as const) {
      const card = await spawnVirtualCard({ slot })
      try {
        await stationPage.waitForCardPresent(reader)
        await expect(stationPage.reader(reader)).toContainText('3b8d0180fba000000397425446590301c8')
        await card.remove()
        await stationPage.waitForCardAbsent(reader)
        await card.insert()
        await stationPage.waitForCardPresent(reader)
      } finally {
        await card.kill()
      }
      await stationPage.waitForCardAbsent(reader)
    }
    expect(consoleErrors).toEqual([])
  })

  test('pcscd stopping shows "service unavailable"; restarting brings the readers back', async ({
    stationPage,
  }) => {
    await stationPage.waitForServiceState('available')
    const card = await spawnVirtualCard({ slot: 0 })
    try {
      await stationPage.waitForCardPresent(READER0)
      await stopLab()
      await stationPage.waitForServiceState('unavailable')
      await expect(stationPage.pcscRows()).toHaveCount(0)
      await startLab()
      await stationPage.waitForServiceState('available')
      await expect(stationPage.pcscRows()).toHaveCount(2)
      // The card process reconnects to the new vpcd by itself; the panel shows it again.
      await stationPage.waitForCardPresent(READER0)
    } finally {
      await card.kill()
      if (!(await import('../lab/pcsc-lab')).labRunning()) await startLab()
    }
  })
})

test.describe('preview host security', () => {
  test('the page without its token is refused', async ({ page, host }) => {
    const origin = new URL(host.url).origin
    const bare = await page.goto(`${origin}/`)
    expect(bare?.status()).toBe(403)
    const wrong = await page.goto(`${origin}/s/${'f'.repeat(64)}/`)
    expect(wrong?.status()).toBe(403)
  })

  test('training mode shows its persistent banner', async ({ stationPage }) => {
    await expect(stationPage.page.getByTestId('training-banner')).toBeVisible()
  })
})

test.describe('training mode without any card hardware', () => {
  test('the operator inserts and removes a virtual card from the reader panel', async ({
    stationPage,
    consoleErrors,
  }) => {
    const reader = 'Station Virtual Reader 1'
    const row = stationPage.reader(reader)
    await stationPage.waitForCardAbsent(reader)
    await expect(row.getByTestId('reader-kind')).toBeVisible()
    await row.getByTestId('insert-card').click()
    await stationPage.waitForCardPresent(reader)
    await expect(row.getByTestId('reader-atr')).toHaveText('3b8d0180fba000000397425446590301c8')
    await row.getByTestId('remove-card').click()
    await stationPage.waitForCardAbsent(reader)
    expect(consoleErrors).toEqual([])
  })
})
